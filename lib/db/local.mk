# lib/db: databases: opening SQLite read-only and never creating, its
# tables, ledgers and deadlines (rp_sqlite: its users link $(SQLITE_LIBS)),
# and migration files named the ways migration tools name them.
noinst_LIBRARIES += lib/db/librpdb.a
rp_db_plain_sources = lib/db/rp_db.c lib/db/rp_db.h lib/db/rp_migration.c lib/db/rp_migration.h lib/db/rp_migration_sql.c \
	lib/db/rp_alembic.c lib/db/rp_alembic.h lib/db/rp_django.c lib/db/rp_django.h \
	lib/db/rp_duckdb.c lib/db/rp_duckdb.h \
	lib/db/rp_migration_sql.h lib/db/rp_sql_schema.c lib/db/rp_sql_schema.h
rp_db_sqlite_sources = lib/db/rp_sqlite.c lib/db/rp_sqlite.h
# rp_pg: its users link $(PQ_LIBS)
rp_db_pq_sources = lib/db/rp_pg.c lib/db/rp_pg.h
lib_db_librpdb_a_SOURCES = $(rp_db_plain_sources) $(rp_db_sqlite_sources) $(rp_db_pq_sources)
lib_db_librpdb_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(PQ_CFLAGS)
LIBRPDB = lib/db/librpdb.a $(LIBRPCORE)
