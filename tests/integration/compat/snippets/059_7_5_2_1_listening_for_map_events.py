def added(event):
    print("Entry Added: %s-%s" % (event.key, event.value))
    

customer_map.add_entry_listener(include_value=True, added_func=added)
customer_map.put("4", "Jane Doe")
