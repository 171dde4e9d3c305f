"""Helpers of the SQL integration tests: the member's Jet jobs of a query, and waiting on them."""

from hzgreen.protocol.codecs import jet
from hzgreen.runtime.invocation import Invocation

WAIT = 60.0
#: Jet's JobStatus ordinals of a job that has not ended.
NOT_ENDED = {0, 1, 2, 3, 4, 5}  # NOT_RUNNING, STARTING, RUNNING, SUSPENDED, SUSPENDED_EXPORTING_SNAPSHOT, COMPLETING


def sql_jobs(client, sql_text):
    """Returns the member's Jet job summaries of the SQL query ``sql_text`` (Jet.getJobAndSqlSummaryList)."""
    future = client.handler.async_result()
    request = jet.encode_get_job_and_sql_summary_list_request()
    client.invocations.invoke(Invocation(request, future, -1, None, jet.decode_get_job_and_sql_summary_list_response))
    summaries = future.get(timeout=WAIT)
    return [s for s in summaries if s.sql_summary is not None and s.sql_summary.query == sql_text]


def running(client, sql_text):
    """Returns True while the member runs a Jet job of ``sql_text``."""
    return any(s.status in NOT_ENDED for s in sql_jobs(client, sql_text))


def wait_until(client, condition, what, timeout=WAIT):
    """Polls the member-side ``condition()`` (it answers from the member, which sends no event for it)
    until it is true; fails with ``what`` after ``timeout`` seconds. Returns None."""
    deadline = client.handler.monotonic() + timeout
    while not condition():
        assert client.handler.monotonic() < deadline, what
        client.handler.sleep_func(0.1)
