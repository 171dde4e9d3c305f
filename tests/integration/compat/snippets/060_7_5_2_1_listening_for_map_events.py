def cleared(event):
    print("Map Cleared:", event.number_of_affected_entries)
    

customer_map.add_entry_listener(include_value=True, clear_all_func=cleared)
customer_map.clear().result()
