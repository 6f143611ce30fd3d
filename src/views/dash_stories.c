/* "Le sens" beside "la mesure" on the dashboards: see dash_stories.h. */
#include "views/dash_stories.h"

#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/ptime.h"
#include "model/actor.h"
#include "model/indicator.h"
#include "model/refdata.h"
#include "model/story.h"
#include "views/fmt.h"

#define BESIDE_MAX 2     /* stories beside one indicator */
#define EXCERPT_MAX 220u /* bytes of a quote shown before "Lire tout le récit" */

/* True when who sees stories on a dashboard: the roles that read stories
 * (model/story.h); an admin sees none. */
static bool reads_stories(const struct actor *who)
{
	return who && (who->role == ROLE_GESTIONNAIRE || who->role == ROLE_COMITE ||
		       who->role == ROLE_ANALYSTE);
}

/* Copies the counts of one kind ("strategy", "outcome") from tc into an
 * arena array of labels in lang; *n is set to its length. */
static struct dash_story_count *counts_of(struct db *db, struct arena *a,
					  const struct story_tag_counts *tc, const char *kind,
					  enum ref_list l, const char *lang, size_t *n)
{
	struct dash_story_count *v = arena_calloc(a, tc->n ? tc->n : 1, sizeof(*v));
	*n = 0;
	for (size_t i = 0; i < tc->n; i++) {
		if (strcmp(tc->v[i].kind, kind) != 0)
			continue;
		v[*n].label = refdata_label(db, a, l, tc->v[i].code, lang);
		v[(*n)++].count = tc->v[i].count;
	}
	return v;
}

/* See dash_stories.h. */
int dash_stories_load(struct db *db, struct request *req, const struct report *r,
		      struct dash_stories *out)
{
	memset(out, 0, sizeof(*out));
	const struct actor *who = req->actor;
	if (!reads_stories(who))
		return 0;
	/* The selected stories, exactly as the PDF gets them. */
	if (report_export_stories(db, req->arena, r, &out->eo) < 0)
		return -1;
	/* The selected stories per tag (the PDF's counts are of all stories). */
	struct ind_scope sc;
	ind_scope_init(&sc, &r->scope.from, &r->scope.to);
	sc.as_of = r->scope.as_of;
	sc.territory_id = r->scope.territory_id;
	sc.sector_id = r->scope.sector_id;
	sc.organisation_id = r->scope.organisation_id;
	struct story_tag_counts tc;
	if (story_count_by_tag(db, req->arena, &sc, true, &tc) < 0) {
		log_error("dashboard_stories_failed", "reason=\"database\"");
		return -1;
	}
	const char *lang = r->scope.lang && strcmp(r->scope.lang, "en") == 0 ? "en" : "fr";
	out->by_strategy =
		counts_of(db, req->arena, &tc, "strategy", REF_STRATEGY, lang, &out->n_strategy);
	out->by_outcome =
		counts_of(db, req->arena, &tc, "outcome", REF_OUTCOME, lang, &out->n_outcome);
	out->written = arena_calloc(req->arena, out->eo.n_stories ? out->eo.n_stories : 1,
				    sizeof(*out->written));
	ptime_format_date(&r->scope.from, out->from);
	ptime_format_date(&r->scope.to, out->to);
	out->can_select = (who->role == ROLE_GESTIONNAIRE && who->organisation_id) ||
			  (who->role == ROLE_COMITE && who->territory_id);
	out->shown = true;
	return 0;
}

/* The first EXCERPT_MAX bytes of s, cut at a space when one is near and
 * never inside a UTF-8 sequence, with "…"; s itself when short enough
 * (*cut false). Arena memory. */
static const char *excerpt(struct arena *a, const char *s, bool *cut)
{
	size_t n = strlen(s);
	*cut = n > EXCERPT_MAX;
	if (!*cut)
		return s;
	size_t k = EXCERPT_MAX;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	size_t sp = k;
	while (sp > EXCERPT_MAX / 2 && s[sp] != ' ')
		sp--;
	if (s[sp] == ' ')
		k = sp;
	while (k > 0 && strchr(" .,;:", s[k - 1])) /* "elle." + "…" would read "elle.…" */
		k--;
	return arena_printf(a, "%s…", arena_strndup(a, s, k));
}

/* A quote between the marks of the page's language. */
static const char *quoted(struct request *req, const char *s)
{
	return strcmp(req->lang, "en") == 0 ? arena_printf(req->arena, "“%s”", s)
					    : arena_printf(req->arena, "« %s »", s);
}

/* Date and tags of a story, as the first line of its <li>. */
static void story_meta(struct request *req, struct buf *o, const struct report_story *s)
{
	html_printf(o, "<p class=\"sens-meta\">");
	if (s->date)
		html_printf(o, "<time datetime=\"%s\">%s</time>", s->date,
			    fmt_date_medium(req, s->date));
	if (s->tags && s->tags[0])
		html_printf(o, "%s<span class=\"sens-tags\">%s</span>", s->date ? " · " : "",
			    s->tags);
	html_printf(o, "</p>\n");
}

/* Story number k of s->eo as an <li>: the first time in full (date and
 * tags, the quote only when the stories module gave its text, that is
 * when the story is quotable, and why it was selected), after that short
 * with a link to the first. */
static void story_item(struct request *req, struct buf *o, struct dash_stories *st, size_t k)
{
	const struct report_story *s = &st->eo.stories[k];
	if (st->written[k]) {
		html_printf(o, "<li class=\"sens-item sens-again\">");
		story_meta(req, o, s);
		html_printf(o, "<p><a href=\"#sens-%zu\">%s</a></p></li>\n", k,
			    TR(req, "Ce récit figure plus haut"));
		return;
	}
	st->written[k] = true;
	html_printf(o, "<li class=\"sens-item\" id=\"sens-%zu\">", k);
	story_meta(req, o, s);
	if (s->text) {
		bool cut;
		const char *ex = excerpt(req->arena, s->text, &cut);
		html_printf(o, "<blockquote class=\"sens-quote\"><p>%s</p></blockquote>\n",
			    quoted(req, ex));
		if (cut)
			html_printf(o,
				    "<details class=\"sens-full\"><summary>%s</summary>"
				    "<blockquote class=\"sens-quote\"><p>%s</p></blockquote>"
				    "</details>\n",
				    TR(req, "Lire tout le récit"), quoted(req, s->text));
	} else {
		html_printf(o, "<p class=\"hint\">%s</p>\n",
			    TR(req, "Texte non cité : pas de consentement à la citation."));
	}
	if (s->reason && s->reason[0])
		html_printf(o, "<p class=\"sens-reason\"><strong>%s</strong>%s%s</p>\n",
			    TR(req, "Pourquoi ce récit"), TR(req, " : "), s->reason);
	html_printf(o, "</li>\n");
}

/* See dash_stories.h. */
void dash_stories_beside(struct request *req, struct buf *o, struct dash_stories *s,
			 const struct ind_result *x)
{
	if (!s || !s->shown || !x)
		return;
	/* Every story that goes beside x, as the PDF decides; of those, the
	 * ones not yet written on the page first, in their order. */
	size_t all = s->eo.n_stories;
	const struct report_story **hit = arena_calloc(req->arena, all ? all : 1, sizeof(*hit));
	size_t n = report_stories_for(&s->eo, x, hit, all);
	if (n == 0)
		return;
	size_t pick[BESIDE_MAX], np = 0;
	for (int again = 0; again < 2 && np < BESIDE_MAX; again++)
		for (size_t i = 0; i < n && np < BESIDE_MAX; i++) {
			size_t k = (size_t)(hit[i] - s->eo.stories);
			if (s->written[k] == (again == 1))
				pick[np++] = k;
		}
	for (size_t i = 1; i < np; i++) /* back in the stories' order: oldest first */
		for (size_t j = i; j > 0 && pick[j] < pick[j - 1]; j--) {
			size_t t = pick[j];
			pick[j] = pick[j - 1];
			pick[j - 1] = t;
		}
	html_printf(o,
		    "<div class=\"dash-sens\"><p class=\"sens-title\">%s <span "
		    "class=\"sens-for\">— %s</span> (%zu)</p>\n<ul class=\"sens-list\">\n",
		    TR(req, "Récits liés à cet indicateur"), x->label, n);
	for (size_t i = 0; i < np; i++)
		story_item(req, o, s, pick[i]);
	html_printf(o, "</ul>\n");
	if (n > BESIDE_MAX)
		html_printf(o, "<p class=\"sens-more\"><a href=\"/recits\">%s (%zu)</a></p>\n",
			    TR(req, "Voir tous les récits liés"), n);
	html_printf(o, "</div>\n");
}

/* A table of selected stories per tag: caption, the tag's kind and the
 * count as column headers, one row per tag. */
static void count_table(struct request *req, struct buf *o, const char *caption, const char *kind,
			const struct dash_story_count *v, size_t n)
{
	if (n == 0) {
		html_printf(o, "<p class=\"empty\">%s%s%s</p>\n", caption, TR(req, " : "),
			    TR(req, "aucun"));
		return;
	}
	html_printf(o,
		    "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" "
		    "aria-label=\"%s\"><table class=\"dash-ind sens-counts\">"
		    "<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th></tr></thead><tbody>\n",
		    caption, caption, kind, TR(req, "Récits retenus"));
	for (size_t i = 0; i < n; i++)
		html_printf(o, "<tr><th scope=\"row\">%s</th><td class=\"num\">%lld</td></tr>\n",
			    v[i].label, (long long)v[i].count);
	html_printf(o, "</tbody></table></div>\n");
}

/* See dash_stories.h. */
void dash_stories_section(struct request *req, struct buf *o, const struct dash_stories *s)
{
	if (!s || !s->shown)
		return;
	html_printf(o, "<section class=\"dash-recits\" id=\"recits\"><h2>%s</h2>\n",
		    TR(req, "Récits de la période"));
	if (s->eo.n_stories == 0) {
		html_printf(o, "<p class=\"empty\">%s <a href=\"/recits\">%s</a></p>\n",
			    TR(req, "Aucun récit retenu pour cette période."),
			    TR(req, "Voir les récits"));
	} else {
		html_printf(o, "<p>%s%s<strong>%zu</strong> · %s%s%lld</p>\n",
			    TR(req, "Récits retenus (changement le plus significatif)"),
			    TR(req, " : "), s->eo.n_stories,
			    TR(req, "récits écrits dans la période"), TR(req, " : "),
			    (long long)s->eo.n_stories_in_scope);
		html_printf(o, "<div class=\"dash-grid\">\n");
		count_table(req, o, TR(req, "Récits retenus par stratégie"), TR(req, "Stratégie"),
			    s->by_strategy, s->n_strategy);
		count_table(req, o, TR(req, "Récits retenus par retombée"), TR(req, "Retombée"),
			    s->by_outcome, s->n_outcome);
		html_printf(o, "</div>\n<p><a href=\"/recits\">%s</a>", TR(req, "Voir les récits"));
	}
	if (s->can_select) {
		/* Markup stays in the format string: %s would escape it. */
		if (s->eo.n_stories)
			html_printf(o, " · ");
		else
			html_printf(o, "<p>");
		html_printf(o, "<a href=\"/recits/selection?du=%U&amp;au=%U\">%s</a>", s->from,
			    s->to, TR(req, "Sélection des récits significatifs"));
	}
	if (s->eo.n_stories || s->can_select)
		html_printf(o, "</p>\n");
	html_printf(o, "</section>\n");
}
