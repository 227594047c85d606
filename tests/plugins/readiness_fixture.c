#include "readiness_fixture.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *dir, *plugins;

void setup(void)
{
	dir = h_tempdir();
	plugins = h_build_path("plugins");
}

void teardown(void)
{
	h_rmrf(dir);
	free(dir);
	free(plugins);
}

char *manifest(const char *name, const char *text)
{
	return h_write_file(dir, name, text, strlen(text));
}

void make_stack(void)
{
	char *cmd = rp_xasprintf("sqlite3 '%s/app.db' 'CREATE TABLE users(id INTEGER);' && "
	                         ": > '%s/empty.db'",
	                         dir, dir);
	ck_assert(system(cmd) == 0);
	free(cmd);
	const char *env = "JWT_SECRET_KEY=Zq8vN2kLp4Rt7Wx1Ys5Bc9Dm3Fg6Hj0KaQeUiOoPl\n"
	                  "DATABASE_URL=sqlite:///srv/app.db\n";
	char *p = h_write_file(dir, ".env", env, strlen(env));
	chmod(p, 0600);
	free(p);
	const char *bad = "JWT_SECRET_KEY=your-jwt-secret\n";
	p = h_write_file(dir, "bad.env", bad, strlen(bad));
	chmod(p, 0600);
	free(p);
}
