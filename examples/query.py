"""Queries and member-side computation on a Map: predicates, paging, aggregations,
projections and paged iteration, with JSON documents.

    python -m hzgreen.testing run -- python examples/query.py

(or against a running member named by the environment: see example_client.py).
"""

import random

from example_client import example_client

from hzgreen import HazelcastJsonValue
from hzgreen import aggregator as agg
from hzgreen import predicate as p
from hzgreen import projection as proj

CITIES = ["London", "Paris", "Berlin", "Oslo"]


def main():
    rng = random.Random(7)
    with example_client() as client:
        people = client.get_map("query-example")
        people.clear()
        people.put_all(
            {
                i: HazelcastJsonValue(
                    {
                        "name": "person%03d" % i,
                        "age": rng.randint(18, 80),
                        "city": rng.choice(CITIES),
                        "pets": [{"kind": rng.choice(["cat", "dog"])}],
                    }
                )
                for i in range(300)
            }
        )

        # Predicates run on the members; only matching entries travel.
        adults_in_oslo = people.key_set(p.and_(p.equal("city", "Oslo"), p.greater_or_equal("age", 65)))
        print("65+ in Oslo:", len(adults_in_oslo))
        print("same with SQL:", len(people.key_set(p.sql("city = 'Oslo' AND age >= 65"))))
        print("cat owners:", len(people.key_set(p.equal("pets[any].kind", "cat"))))
        print("names like person00%:", sorted(v.loads()["name"] for v in people.values(p.like("name", "person00%"))))

        # Aggregations and projections: one number or a list of fields instead of the entries.
        mean_age = people.aggregate(agg.number_avg("age"))
        print("people:", people.aggregate(agg.count()), "| mean age:", round(mean_age, 1))
        print("cities:", sorted(people.aggregate(agg.distinct("city"))))
        oldest_key, oldest = people.aggregate(agg.max_by("age"))
        print("oldest:", oldest_key, oldest.loads()["name"], oldest.loads()["age"])
        print(
            "names and ages in Paris under 20:",
            sorted(
                people.project(proj.multi_attribute("name", "age"), p.and_(p.equal("city", "Paris"), p.less("age", 20)))
            ),
        )

        # Paging: sorted pages of 5 (by key here), navigated like a cursor.
        paging = p.paging(p.equal("city", "Berlin"), 5)
        print("Berlin page 0:", people.key_set(paging))
        paging.next_page()
        print("Berlin page 1:", people.key_set(paging))

        # Paged iteration over the whole map, a page at a time.
        with people.iterate(page_size=50) as cursor:
            total_age = sum(value.loads()["age"] for _, value in cursor)
        print("total age (iterated in %d pages):" % cursor.pages_fetched, total_age)


if __name__ == "__main__":
    main()
