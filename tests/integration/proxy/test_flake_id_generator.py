"""FlakeIdGenerator (client.get_flake_id_generator) against a real member."""

WAIT = 60


def test_ids_are_unique_positive_and_batched(hz_client_factory, unique_name):
    client = hz_client_factory(flake_id_generators={unique_name: {"prefetch_count": 10}})
    generator = client.get_flake_id_generator(unique_name)
    assert client.get_flake_id_generator(unique_name) is generator
    ids = [generator.new_id() for _ in range(35)]
    assert len(set(ids)) == 35
    assert all(0 < i < 2**63 for i in ids)
    assert generator.new_id_async().get(timeout=WAIT) not in ids


def test_ids_roughly_ordered_across_batches(hz_client_factory, unique_name):
    client = hz_client_factory(flake_id_generators={unique_name: {"prefetch_count": 1}})
    generator = client.get_flake_id_generator(unique_name)
    ids = [generator.new_id() for _ in range(20)]
    assert ids == sorted(ids) and len(set(ids)) == 20  # one id per batch: each fetched after the last


def test_unique_across_many_concurrent_callers(hz_client_factory, hz_handler, unique_name):
    client = hz_client_factory(handler=hz_handler, flake_id_generators={unique_name: {"prefetch_count": 7}})
    generator = client.get_flake_id_generator(unique_name)
    workers, per_worker = 20, 40
    results = [hz_handler.async_result() for _ in range(workers)]

    def work(result):
        try:
            result.set([generator.new_id() for _ in range(per_worker)])
        except BaseException as error:
            result.set_exception(error)

    for result in results:
        hz_handler.spawn(work, result)
    ids = [i for result in results for i in result.get(timeout=WAIT)]
    assert len(ids) == workers * per_worker
    assert len(set(ids)) == len(ids)


def test_two_clients_never_share_an_id(hz_client, hz_client_factory, unique_name):
    other = hz_client_factory()
    a = hz_client.get_flake_id_generator(unique_name)
    b = other.get_flake_id_generator(unique_name)
    ids = [a.new_id() for _ in range(150)] + [b.new_id() for _ in range(150)]
    assert len(set(ids)) == 300
