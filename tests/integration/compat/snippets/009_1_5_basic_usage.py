personnel_map = client.get_map("personnel-map").blocking()
