/* Fuzzes Alembic's script reader and revision graph: the input is several
 * scripts separated by form feeds. Whatever they declare, the order is
 * base first, "applied" is closed under what each revision revises, and
 * a head is revised by nothing. The whole input is also read as a Django
 * migration for what it replaces. */
#include "fuzz_common.h"
#include "rp_alembic.h"
#include "rp_django.h"
#include "rp_strv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_order(const struct rp_alembic_tree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct rp_alembic_rev *r = &t->revs[i];
		if (!r->id || strlen(r->id) > RP_ALEMBIC_ID_MAX || r->nup > r->ndown + r->ndeps)
			abort();
		for (size_t k = 0; k < r->nup; k++)
			if (r->up[k] >= i)
				abort(); /* an ancestor after its descendant */
		if (rp_alembic_find(t, r->id) != i)
			abort();
	}
}

static void check_applied(const struct rp_alembic_tree *t)
{
	bool *applied = calloc(t->n + 1, sizeof *applied);
	bool unknown[2];
	char other[] = "\x01not a revision";
	char *versions[2] = { t->n ? t->revs[t->n / 2].id : other, other };
	size_t n = rp_alembic_applied(t, versions, 2, applied, unknown);
	size_t count = 0;
	for (size_t i = 0; i < t->n; i++) {
		count += applied[i];
		for (size_t k = 0; applied[i] && k < t->revs[i].nup; k++)
			if (!applied[t->revs[i].up[k]])
				abort();
	}
	if (count != n || !unknown[1] || (t->n && unknown[0]))
		abort();
	size_t *heads = calloc(t->n + 1, sizeof *heads);
	size_t nheads = rp_alembic_heads(t, heads);
	if (t->n && nheads == 0)
		abort(); /* an acyclic graph has a head */
	for (size_t h = 0; h < nheads; h++)
		for (size_t i = 0; i < t->n; i++)
			for (size_t k = 0; k < t->revs[i].ndown; k++)
				if (t->revs[i].up[k] == heads[h])
					abort();
	free(heads);
	free(applied);
}

/* Each replaced migration is "app.name", both identifiers. */
static void django_replaces(const uint8_t *data, size_t size)
{
	char **r;
	size_t n = rp_django_replaces((const char *)data, size, &r);
	if (n > 4096 || (n == 0) != (r == NULL))
		abort();
	for (size_t i = 0; i < n; i++) {
		const char *dot = strchr(r[i], '.');
		if (!dot || dot == r[i] || !dot[1] || strchr(dot + 1, '.') ||
		    strspn(r[i],
		           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.") !=
		            strlen(r[i]))
			abort();
	}
	rp_strv_free(r, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	django_replaces(data, size);
	struct rp_alembic_tree t = { 0 };
	const char *p = (const char *)data, *end = p + size;
	while (p <= end && t.n < 64) {
		const char *ff = memchr(p, '\f', (size_t)(end - p));
		const char *stop = ff ? ff : end;
		struct rp_alembic_rev rev;
		if (rp_alembic_parse(p, (size_t)(stop - p), &rev))
			rp_alembic_tree_add(&t, &rev);
		p = stop + 1;
	}
	char err[256];
	if (rp_alembic_order(&t, err, sizeof err)) {
		check_order(&t);
		check_applied(&t);
	} else if (!err[0]) {
		abort(); /* a refusal says why */
	}
	rp_alembic_tree_free(&t);
	return 0;
}
