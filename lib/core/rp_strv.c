/* rp_strv.c: vectors of strings as (char **v, size_t n). */
#include "rp_strv.h"
#include "rp_x.h"

#include <stdlib.h>
#include <string.h>

void rp_strv_pushn(char ***v, size_t *n, const char *s, size_t len)
{
	*v = rp_xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = rp_xstrndup(s, len);
}

void rp_strv_push(char ***v, size_t *n, const char *s)
{
	rp_strv_pushn(v, n, s, strlen(s));
}

void rp_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
