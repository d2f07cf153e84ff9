// SPDX-License-Identifier: GPL-2.0
/*
 * Content negotiation for /metrics: the Accept header (RFC 9110 §12.5.1) of
 * an untrusted client, parsed in one pass without allocation. A media range
 * that does not parse is ignored, as if it were not there.
 */
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include "outputs/exposition.h"

struct cursor {
	const char *p, *end;
};

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static void skip_ows(struct cursor *c)
{
	while (c->p < c->end && is_ows(*c->p))
		c->p++;
}

/* RFC 9110 tchar */
static bool is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static size_t token(struct cursor *c, const char **start)
{
	*start = c->p;
	while (c->p < c->end && is_tchar(*c->p))
		c->p++;
	return (size_t)(c->p - *start);
}

static bool equals(const char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && !strncasecmp(s, lit, n);
}

enum value { VALUE_BAD, VALUE_LONG, VALUE_OK };

/*
 * A parameter value: a token or a quoted string, copied into v when it has
 * at most 15 bytes (VALUE_OK); a longer one is no value we compare with
 * (VALUE_LONG); VALUE_BAD: it does not parse.
 */
static enum value param_value(struct cursor *c, char v[16])
{
	size_t n = 0;

	if (c->p < c->end && *c->p == '"') {
		for (c->p++; c->p < c->end && *c->p != '"'; c->p++) {
			if (*c->p == '\\' && ++c->p == c->end)
				return VALUE_BAD;
			if (n < 15)
				v[n] = *c->p;
			n += n < 16;
		}
		if (c->p == c->end)
			return VALUE_BAD;
		c->p++;
	} else {
		const char *s;
		size_t len = token(c, &s);

		if (!len)
			return VALUE_BAD;
		n = len < 16 ? len : 16;
		memcpy(v, s, n < 16 ? n : 15);
	}
	v[n < 16 ? n : 15] = '\0';
	return n < 16 ? VALUE_OK : VALUE_LONG;
}

/* q = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), as thousandths */
static int parse_q(const char *v)
{
	int q, digits = 0;

	if (v[0] != '0' && v[0] != '1')
		return -1;
	q = (v[0] - '0') * 1000;
	if (!v[1])
		return q;
	if (v[1] != '.')
		return -1;
	for (const char *d = v + 2; *d; d++, digits++) {
		int scale = digits == 0 ? 100 : digits == 1 ? 10 : 1;

		if (digits == 3 || *d < '0' || *d > '9' || (q == 1000 && *d != '0'))
			return -1;
		q += (*d - '0') * scale;
	}
	return q;
}

enum kind { KIND_OTHER, KIND_OPENMETRICS, KIND_TEXT };

/* One media range, up to the next ',' outside a quoted string; false if it does not parse. */
static bool media_range(struct cursor *c, enum kind *kind, int *q)
{
	const char *type, *sub;
	size_t tn, sn;
	bool version_ok = true;

	skip_ows(c);
	tn = token(c, &type);
	if (!tn || c->p == c->end || *c->p != '/')
		return false;
	c->p++;
	sn = token(c, &sub);
	if (!sn)
		return false;
	if (equals(type, tn, "application") && equals(sub, sn, "openmetrics-text"))
		*kind = KIND_OPENMETRICS;
	else if ((equals(type, tn, "text") && (equals(sub, sn, "plain") || equals(sub, sn, "*"))) ||
		 (equals(type, tn, "*") && equals(sub, sn, "*")))
		*kind = KIND_TEXT;
	else
		*kind = KIND_OTHER;
	*q = 1000;
	for (;;) {
		const char *name;
		size_t nn;
		char v[16];

		skip_ows(c);
		if (c->p == c->end || *c->p == ',')
			break;
		if (*c->p != ';')
			return false;
		c->p++;
		skip_ows(c);
		nn = token(c, &name);
		if (!nn || c->p == c->end || *c->p != '=')
			return false;
		c->p++;
		switch (param_value(c, v)) {
		case VALUE_BAD:
			return false;
		case VALUE_LONG:
			if (equals(name, nn, "q"))
				return false;
			version_ok = version_ok && !equals(name, nn, "version");
			continue;
		case VALUE_OK:
			break;
		}
		if (equals(name, nn, "q")) {
			*q = parse_q(v);
			if (*q < 0)
				return false;
		} else if (equals(name, nn, "version")) {
			version_ok = *kind == KIND_OPENMETRICS ? !strcmp(v, "1.0.0") || !strcmp(v, "0.0.1") :
				     !strcmp(v, "0.0.4");
		}
	}
	if (!version_ok)
		*kind = KIND_OTHER;
	return true;
}

enum expo_format expo_negotiate(const char *accept)
{
	struct cursor c;
	int best_om = 0, best_text = -1;

	if (!accept)
		return EXPO_PROMETHEUS;
	c = (struct cursor){ accept, accept + strlen(accept) };
	while (c.p < c.end) {
		enum kind kind = KIND_OTHER;
		int q = 0;

		if (media_range(&c, &kind, &q)) {
			if (kind == KIND_OPENMETRICS && q > best_om)
				best_om = q;
			else if (kind == KIND_TEXT && q > best_text)
				best_text = q;
		}
		/* on to the next element, past quoted strings */
		while (c.p < c.end && *c.p != ',') {
			if (*c.p == '"') {
				for (c.p++; c.p < c.end && *c.p != '"'; c.p++)
					if (*c.p == '\\' && c.p + 1 < c.end)
						c.p++;
				if (c.p == c.end)
					break;
			}
			c.p++;
		}
		if (c.p < c.end)
			c.p++;
	}
	return best_om > 0 && best_om >= best_text ? EXPO_OPENMETRICS : EXPO_PROMETHEUS;
}
