"""Distributed objects: list every object on the cluster and hear when one is created or destroyed.

    python -m hzgreen.testing run -- python examples/distributed_objects.py

(or against a running member named by the environment: see example_client.py).
"""

from example_client import example_client


def main():
    with example_client() as client:
        map_name = "test_map"
        events = []
        created = client.handler.event_object()
        destroyed = client.handler.event_object()

        # Runs on the client's callback worker, one event at a time.
        def distributed_object_listener(event):
            if event.name != map_name:
                return
            events.append(event)
            print("Distributed object event >>>", event.name, event.service_name, event.event_type)
            if event.event_type == "CREATED":
                created.set()
            elif event.event_type == "DESTROYED":
                destroyed.set()

        registration_id = client.add_distributed_object_listener(listener_func=distributed_object_listener)

        # This call causes a CREATED event
        test_map = client.get_map(map_name)
        # This causes no event because map was already created
        client.get_map(map_name)
        created.wait(30)  # the listener prints on its own task: let it finish first

        print(
            "objects:", sorted((o.service_name, o.name) for o in client.get_distributed_objects() if o.name == map_name)
        )

        # This causes a DESTROYED event
        test_map.destroy()
        destroyed.wait(30)
        print("events seen:", len(events))
        client.remove_distributed_object_listener(registration_id)


if __name__ == "__main__":
    main()
