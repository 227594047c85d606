#include "rp_sqlite.h"
#include "rp_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *file_type(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

static bool side_file(const char *path, const char *suffix, off_t *size)
{
	char *p = rp_xasprintf("%s%s", path, suffix);
	struct stat st;
	bool exists = stat(p, &st) == 0;
	if (exists && size)
		*size = st.st_size;
	free(p);
	return exists;
}

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static unsigned be32(const unsigned char *p)
{
	return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

/* The 100-byte header: magic, page size, WAL flag, in-header page count. */
static void read_header(int fd, struct rp_sqlite_file *f)
{
	unsigned char h[100];
	ssize_t n = pread(fd, h, sizeof h, 0);
	if (n < 0) {
		f->status = RP_SQLITE_FILE_ERROR;
		snprintf(f->detail, sizeof f->detail, "cannot read: %s", strerror(errno));
		return;
	}
	/* DuckDB writes a checksum, then "DUCK": the report's 12 KB store that
	 * no SQLite reader can tell from garbage */
	if (n >= 12 && memcmp(h + 8, "DUCK", 4) == 0) {
		f->status = RP_SQLITE_FILE_DUCKDB;
		snprintf(f->detail, sizeof f->detail, "its header is DuckDB's");
		return;
	}
	if (n < (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16) != 0) {
		f->status = RP_SQLITE_FILE_NOT_DB;
		snprintf(f->detail, sizeof f->detail, "no SQLite header in its first %zd bytes", n);
		return;
	}
	unsigned ps = be16(h + 16);
	f->page_size = ps == 1 ? 65536 : ps;
	f->wal = h[18] == 2 || h[19] == 2;
	unsigned change = be32(h + 24), valid_for = be32(h + 92);
	unsigned pages = be32(h + 28);
	/* The in-header size is only valid when written by SQLite >= 3.7.0
	 * in the same transaction as the change counter. */
	if (pages && change == valid_for)
		f->page_count = pages;
	if (f->page_count && f->page_size && (off_t)f->page_count * (off_t)f->page_size > f->size &&
	    !f->has_wal) {
		f->status = RP_SQLITE_FILE_TRUNCATED;
		snprintf(f->detail, sizeof f->detail,
		         "truncated: the header says %u pages of %u bytes, the file has %lld bytes",
		         f->page_count, f->page_size, (long long)f->size);
	}
}

void rp_sqlite_inspect(const char *path, struct rp_sqlite_file *f)
{
	struct stat st;
	memset(f, 0, sizeof *f);
	if (stat(path, &st) != 0) {
		f->status = errno == ENOENT || errno == ENOTDIR ? RP_SQLITE_FILE_MISSING
		            : errno == EACCES                   ? RP_SQLITE_FILE_PERMISSION
		                                                : RP_SQLITE_FILE_ERROR;
		snprintf(f->detail, sizeof f->detail, "%s", strerror(errno));
		return;
	}
	f->size = st.st_size;
	if (!S_ISREG(st.st_mode)) {
		f->status = RP_SQLITE_FILE_NOT_REGULAR;
		snprintf(f->detail, sizeof f->detail, "is %s", file_type(st.st_mode));
		return;
	}
	/* O_NONBLOCK: should it become a FIFO between stat and open. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		f->status = errno == EACCES || errno == EPERM ? RP_SQLITE_FILE_PERMISSION
		                                              : RP_SQLITE_FILE_ERROR;
		snprintf(f->detail, sizeof f->detail, "%s", strerror(errno));
		return;
	}
	f->has_wal = side_file(path, "-wal", &f->wal_size);
	f->has_shm = side_file(path, "-shm", NULL);
	f->has_journal = side_file(path, "-journal", &f->journal_size);
	if (st.st_size == 0)
		f->status = RP_SQLITE_FILE_EMPTY;
	else
		read_header(fd, f);
	close(fd);
}

static int busy_wait(void *arg, int count)
{
	struct rp_sqlite_handlers *h = arg;
	(void)count;
	h->waited_for_lock = true;
	if (rp_deadline_expired(h->deadline))
		return 0;
	struct timespec ts = { 0, 5 * 1000000L };
	nanosleep(&ts, NULL);
	return 1;
}

static int progress(void *arg)
{
	struct rp_sqlite_handlers *h = arg;
	if (rp_deadline_expired(h->deadline)) {
		h->interrupted = true;
		return 1;
	}
	return 0;
}

/* file: URI of path, percent-encoding what a URI must not hold literally. */
static char *file_uri(const char *path, const char *params)
{
	struct rp_buf b;
	rp_buf_init(&b);
	rp_buf_puts(&b, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/-_.~", *p))
			rp_buf_putc(&b, (char)*p);
		else
			rp_buf_printf(&b, "%%%02X", *p);
	}
	rp_buf_printf(&b, "?%s", params);
	return rp_buf_steal(&b);
}

/* ------------------------------------------------ a VFS that cannot write
 *
 * Even a mode=ro connection has SQLite open the -wal file O_RDWR|O_CREAT
 * (it falls back to read-only only when that fails): as root, a check
 * would create an empty -wal beside a database, or open a live one for
 * writing. This VFS wraps the default one and opens the database, its WAL
 * and its journal read-only, never creating one; a missing -wal is then
 * "cannot open", which the caller answers by reading the main file alone
 * (all committed data is there when no WAL exists). Temporary files (SQLite's
 * own, in the temp directory) are left as they are; the connection keeps
 * them in memory anyway (temp_store). */

#define RP_SQLITE_VFS "rp-readonly"

static sqlite3_vfs *real_vfs(sqlite3_vfs *v)
{
	return v->pAppData;
}

static int ro_open(sqlite3_vfs *v, const char *name, sqlite3_file *file, int flags, int *out)
{
	if (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL)) {
		flags &= ~(SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_DELETEONCLOSE |
		           SQLITE_OPEN_EXCLUSIVE);
		flags |= SQLITE_OPEN_READONLY;
	}
	return real_vfs(v)->xOpen(real_vfs(v), name, file, flags, out);
}

static int ro_delete(sqlite3_vfs *v, const char *name, int sync)
{
	(void)v, (void)name, (void)sync;
	return SQLITE_IOERR_DELETE; /* a check deletes nothing */
}

static int ro_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
	return real_vfs(v)->xAccess(real_vfs(v), name, flags, out);
}

static int ro_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
	return real_vfs(v)->xFullPathname(real_vfs(v), name, n, out);
}

static int ro_randomness(sqlite3_vfs *v, int n, char *out)
{
	return real_vfs(v)->xRandomness(real_vfs(v), n, out);
}

static int ro_sleep(sqlite3_vfs *v, int us)
{
	return real_vfs(v)->xSleep(real_vfs(v), us);
}

static int ro_current_time(sqlite3_vfs *v, double *out)
{
	return real_vfs(v)->xCurrentTime(real_vfs(v), out);
}

static int ro_last_error(sqlite3_vfs *v, int n, char *out)
{
	return real_vfs(v)->xGetLastError(real_vfs(v), n, out);
}

static int ro_current_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
	return real_vfs(v)->xCurrentTimeInt64(real_vfs(v), out);
}

/* Registers the VFS once. SQLite links registered VFSes into its own list,
 * so the struct must live as long as the process: the one static object in
 * this library that SQLite, not we, writes to. */
static void register_readonly_vfs(void)
{
	static sqlite3_vfs vfs;
	if (sqlite3_vfs_find(RP_SQLITE_VFS))
		return;
	sqlite3_vfs *real = sqlite3_vfs_find(NULL);
	vfs.iVersion = 2;
	vfs.szOsFile = real->szOsFile;
	vfs.mxPathname = real->mxPathname;
	vfs.zName = RP_SQLITE_VFS;
	vfs.pAppData = real;
	vfs.xOpen = ro_open;
	vfs.xDelete = ro_delete;
	vfs.xAccess = ro_access;
	vfs.xFullPathname = ro_full_pathname;
	vfs.xRandomness = ro_randomness;
	vfs.xSleep = ro_sleep;
	vfs.xCurrentTime = ro_current_time;
	vfs.xGetLastError = ro_last_error;
	vfs.xCurrentTimeInt64 = ro_current_time64;
	sqlite3_vfs_register(&vfs, 0);
}

static sqlite3 *open_uri(const char *path, const char *params, int *rc)
{
	char *uri = file_uri(path, params);
	sqlite3 *db = NULL;
	*rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, RP_SQLITE_VFS);
	free(uri);
	return db;
}

sqlite3 *rp_sqlite_open(const char *path, const struct rp_sqlite_file *f,
                        struct rp_sqlite_handlers *h, char *err, size_t errlen)
{
	register_readonly_vfs();
	/* no -wal: every committed page is in the main file; no -shm: no
	 * connection is open, and mode=ro would need one made */
	const char *params = (f->wal && (!f->has_wal || !f->has_shm)) ? "mode=ro&immutable=1"
	                                                              : "mode=ro&readonly_shm=1";
	int rc;
	sqlite3 *db = open_uri(path, params, &rc);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s", db ? sqlite3_errmsg(db) : rp_sqlite_explain(rc));
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_extended_result_codes(db, 1);
	rp_sqlite_set_deadline(db, h);
	/* Belt and braces: this connection refuses to write, and keeps its
	 * temporary tables and indexes in memory. */
	sqlite3_exec(db, "PRAGMA query_only=1; PRAGMA temp_store=MEMORY", NULL, NULL, NULL);
	return db;
}

bool rp_sqlite_transient(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_CANTOPEN:
	case SQLITE_BUSY:
	case SQLITE_PROTOCOL:
		return true;
	case SQLITE_READONLY:
		return rc == SQLITE_READONLY_CANTINIT || rc == SQLITE_READONLY_RECOVERY;
	case SQLITE_IOERR:
		return rc == SQLITE_IOERR_SHORT_READ;
	}
	return false;
}

void rp_sqlite_set_deadline(sqlite3 *db, struct rp_sqlite_handlers *h)
{
	sqlite3_busy_handler(db, busy_wait, h);
	sqlite3_progress_handler(db, 1000, progress, h);
}

const char *rp_sqlite_explain(int rc)
{
	switch (rc) {
	case SQLITE_NOTADB:
		return "file is not a database";
	case SQLITE_CORRUPT:
	case SQLITE_CORRUPT_INDEX:
	case SQLITE_CORRUPT_SEQUENCE:
	case SQLITE_CORRUPT_VTAB:
		return "database disk image is malformed (corrupt)";
	case SQLITE_BUSY:
	case SQLITE_BUSY_SNAPSHOT:
	case SQLITE_BUSY_RECOVERY:
	case SQLITE_LOCKED:
		return "database is locked by a writer";
	case SQLITE_READONLY_ROLLBACK:
		return "a hot journal needs recovery (a writer crashed mid-transaction; open it "
		       "once "
		       "read-write to roll back)";
	case SQLITE_READONLY_RECOVERY:
		return "the WAL needs recovery (open it once read-write)";
	case SQLITE_CANTOPEN:
		return "unable to open the database file";
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return "permission denied";
	case SQLITE_INTERRUPT:
		return "interrupted at the deadline";
	case SQLITE_NOMEM:
		return "out of memory";
	}
	if ((rc & 0xff) == SQLITE_IOERR)
		return "I/O error reading the database";
	return sqlite3_errstr(rc);
}

static int collect_names(sqlite3 *db, const char *sql, const char *bind, int column, char ***names,
                         size_t *n)
{
	sqlite3_stmt *st;
	*names = NULL;
	*n = 0;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sqlite3_extended_errcode(db);
	if (bind)
		sqlite3_bind_text(st, 1, bind, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, column);
		*names = rp_xreallocarray(*names, *n + 1, sizeof **names);
		(*names)[(*n)++] = rp_xstrdup(t ? (const char *)t : "");
	}
	if (rc != SQLITE_DONE)
		rc = sqlite3_extended_errcode(db);
	else
		rc = SQLITE_OK;
	sqlite3_finalize(st);
	return rc;
}

int rp_sqlite_tables(sqlite3 *db, char ***names, size_t *n)
{
	return collect_names(db,
	                     "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT "
	                     "LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
	                     NULL, 0, names, n);
}

int rp_sqlite_columns(sqlite3 *db, const char *table, char ***names, size_t *n)
{
	return collect_names(db, "SELECT name FROM pragma_table_info(?1) ORDER BY cid", table, 0,
	                     names, n);
}

bool rp_sqlite_column_indexed(sqlite3 *db, const char *table, const char *column)
{
	sqlite3_stmt *st;
	bool found = false;
	const char *sql = "SELECT 1 FROM pragma_index_list(?1) AS il, pragma_index_info(il.name) "
	                  "AS ii WHERE ii.seqno = 0 AND ii.name = ?2 COLLATE NOCASE LIMIT 1";
	/* An INTEGER PRIMARY KEY is the rowid: max() is a b-tree lookup too. */
	const char *rowid_sql =
	        "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2 COLLATE NOCASE "
	        "AND pk = 1 AND upper(type) = 'INTEGER' AND (SELECT count(*) FROM "
	        "pragma_table_info(?1) WHERE pk > 0) = 1";
	const char *queries[] = { sql, rowid_sql };
	for (size_t i = 0; i < 2 && !found; i++) {
		if (sqlite3_prepare_v2(db, queries[i], -1, &st, NULL) != SQLITE_OK)
			continue;
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
		found = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
	}
	return found;
}

bool rp_sqlite_another_statement(sqlite3 *db, const char *sql)
{
	while (sql && *sql) {
		sqlite3_stmt *next = NULL;
		const char *rest = NULL;
		if (sqlite3_prepare_v2(db, sql, -1, &next, &rest) != SQLITE_OK || next) {
			sqlite3_finalize(next);
			return true;
		}
		if (!rest || rest == sql)
			return false;
		sql = rest;
	}
	return false;
}

static enum rp_db_status sqlite_query(void *handle, const char *sql, size_t max_rows,
                                      struct rp_db_rows *out, char *err, size_t errlen)
{
	sqlite3 *db = handle;
	sqlite3_stmt *st;
	memset(out, 0, sizeof *out);
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		out->ncols = (size_t)sqlite3_column_count(st);
		size_t cap = 0;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (out->nrows == max_rows) {
				out->truncated = true;
				break;
			}
			if (out->nrows == cap) {
				cap = cap ? cap * 2 : 16;
				out->cells = rp_xreallocarray(out->cells, cap * out->ncols + 1,
				                              sizeof *out->cells);
			}
			for (size_t c = 0; c < out->ncols; c++) {
				const unsigned char *t = sqlite3_column_text(st, (int)c);
				out->cells[out->nrows * out->ncols + c] =
				        t ? rp_xstrdup((const char *)t) : NULL;
			}
			out->nrows++;
		}
		sqlite3_finalize(st);
	}
	if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW)
		return RP_DB_OK;
	snprintf(err, errlen, "%s", sqlite3_errmsg(db));
	return (rc & 0xff) == SQLITE_INTERRUPT ? RP_DB_INTERRUPTED : RP_DB_ERROR;
}

struct rp_db rp_sqlite_db(sqlite3 *db)
{
	return (struct rp_db){ .engine = "SQLite",
		               .handle = db,
		               .query = sqlite_query,
		               .columns_sql = "SELECT name, type FROM pragma_table_info(",
		               .columns_sql_end = ")",
		               .tables_sql = "SELECT name FROM sqlite_schema WHERE type = 'table' "
		                             "AND name NOT LIKE 'sqlite_%' ORDER BY name",
		               .schema = "main" };
}
