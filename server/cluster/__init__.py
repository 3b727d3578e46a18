"""Several server processes on one PostgreSQL database: game leases, takeover, routing.

``leases`` is the SQL of the ``game_leases`` table (acquire, renew, check the epoch on
every log append, find games whose owner died); ``node`` is this process's part in the
cluster (its id and public URL, the renew/takeover loop, PostgreSQL ``LISTEN/NOTIFY``);
``proxy`` forwards a REST request about a game to the process that owns it.
"""
