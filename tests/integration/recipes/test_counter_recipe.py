"""Counter recipe (both handlers)."""

import pytest


def test_add_sub_pre_post_and_default_once(hz_client, hz_client_factory, unique_name):
    counter = hz_client.Counter(unique_name, default=10)
    assert counter.value == 10
    result = counter + 5
    assert result is counter
    assert (counter.pre_value, counter.post_value) == (10, 15)
    counter -= 3
    assert (counter.pre_value, counter.post_value) == (15, 12)
    other = hz_client_factory().Counter(unique_name, default=10)  # default not applied again
    assert other.value == 12
    other += 1
    assert counter.value == 13 and int(counter) == 13
    with pytest.raises(TypeError):
        counter += 1.5


def test_concurrent_increments(hz_client, unique_name):
    counter = hz_client.Counter(unique_name)
    done = []

    def work():
        for _ in range(20):
            counter.__add__(1)
        done.append(True)

    tasks = [hz_client.handler.spawn(work) for _ in range(5)]
    for task in tasks:
        task.join(60)
    assert len(done) == 5
    assert counter.value == 100


def test_float_counter_as_in_kazoo(hz_client, hz_client_factory, unique_name):
    counter = hz_client.Counter(unique_name, default=1.5)
    assert counter.value == 1.5  # nobody changed it: the default
    counter += 0.25
    assert (counter.pre_value, counter.post_value) == (1.5, 1.75)
    counter -= 1
    assert counter.post_value == 0.75 and isinstance(counter.post_value, float)
    other = hz_client_factory().Counter(unique_name, default=1.5)
    other += 2.0
    assert counter.value == 2.75 and float(counter) == 2.75 and int(counter) == 2
    with pytest.raises(TypeError):
        counter += "1"
    with pytest.raises(TypeError):
        hz_client.Counter(unique_name + "-bad", default="0")


def test_concurrent_float_increments_are_not_lost(hz_client, hz_client_factory, unique_name):
    clients = [hz_client, hz_client_factory()]
    done = []

    def work(client):
        counter = client.Counter(unique_name, default=0.0)
        for _ in range(15):
            counter += 0.5
        done.append(True)

    tasks = [hz_client.handler.spawn(work, clients[i % 2]) for i in range(4)]
    for task in tasks:
        task.join(60)
    assert len(done) == 4
    assert hz_client.Counter(unique_name, default=0.0).value == 30.0
