client.shutdown()
