for person, department in personnel_map.entry_set():
    print("%s is in %s department" % (person, department))
