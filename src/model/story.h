/* Stories (récits): "le sens" beside "la mesure" (domain.md). A PAP writes
 * a short narrative tied to an activity, a followed family (anonymised:
 * only its pseudonymous code, and only to those who may see the family), a
 * project or a territory, tagged with strategies, outcomes, needs and
 * components from the reference lists, with a consent-to-quote flag.
 *
 * Consent gates quotes: a story tied to a family may be marked quotable
 * (consent_quote) only when the family's consent includes `citation`; and
 * a story is treated as quotable only while that still holds (a consent
 * withdrawn later hides the text again). Without a family, the author's
 * own flag decides.
 *
 * Visibility (decided here; what is not visible is absent, never
 * forbidden):
 *   - the author, and the managers of the author's organisation: the whole
 *     story (text, tags, links, the family's code);
 *   - the comité of the story's territory (or of a parent territory): every
 *     story of the territory, with its tags, date and selection, but the
 *     text only when the story is quotable; never the author's name, the
 *     family or the activity;
 *   - an analyst: the selected stories of every territory, the same way
 *     (text only when quotable);
 *   - another PAP, an admin: nothing.
 * A story's territory is its own, else its activity's, else its project's,
 * else its author's (the save fills it in, so it is rarely empty).
 *
 * Most Significant Change works by levels, from the bottom up:
 *   - organisation: a manager selects among their organisation's stories;
 *   - territory: the comité of the story's territory (or of a parent one)
 *     selects among the stories an organisation selected.
 * Each level has its own choice and reason (required), kept in force and
 * in a history (who, when, why; a de-selection too). Nobody selects a
 * story whose text they cannot read (a comité reads only quotable ones;
 * an erased text is read by nobody). A level cannot withdraw a story the
 * level above still keeps: the level above withdraws it first. An analyst
 * reads what any level selected. */
#ifndef PROXIMA_STORY_H
#define PROXIMA_STORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/activity.h"
#include "model/actor.h"
#include "model/indicator.h"
#include "model/validation.h"

#define STORY_TEXT_MAX 10000  /* characters, as the import accepts */
#define STORY_REASON_MAX 2000 /* characters */

/* The levels of Most Significant Change, bottom up. */
enum story_level {
	STORY_LEVEL_NONE = 0,
	STORY_LEVEL_ORGANISATION, /* a manager, for their organisation */
	STORY_LEVEL_TERRITOIRE,   /* a comité, for its territory */
};
#define STORY_LEVELS 2 /* levels of a story: levels[level - 1] */

/* The choice of one level. */
struct story_choice {
	bool selected;
	const char *reason; /* why (NULL when not selected, or hidden) */
	int64_t by, at;     /* who (0 when hidden) and when (Unix seconds) */
	const char *by_ext; /* who's external id, NULL when hidden */
};

struct story {
	int64_t id;         /* 0 for a new story */
	const char *ext_id; /* generated ("rec-" + 16 hex) when NULL */
	int64_t author_id;
	const char *date; /* YYYY-MM-DD */
	const char *text; /* NULL when the reader may not see it */
	int64_t activity_id, family_id, project_id, territory_id; /* 0 = none */
	bool consent_quote;                                       /* the author's flag */
	bool quotable; /* consent_quote, and the family (if any) consents to citation */
	bool selected; /* at some level (read-only) */
	struct story_choice levels[STORY_LEVELS]; /* read-only: story_select writes */
	/* External ids of the author, activity, family, project and
	 * territory, filled on reads from the read's own joins (NULL where
	 * the id is 0, or hidden from the reader). */
	const char *author_ext, *activity_ext, *family_ext, *project_ext, *territory_ext;
	struct strlist strategies, outcomes, needs, components;
	/* Read-only, for display. */
	int64_t author_organisation_id;
	const char *family_code; /* NULL unless the reader may see the family */
	bool full;               /* the reader sees the whole story (author, manager) */
};

struct story_filter {
	const char *from, *to;        /* inclusive dates, or NULL */
	bool selected_only;           /* selected at some level */
	enum story_level selected_at; /* only those this level selected (NONE = any) */
	bool mine_only;               /* only the actor's own stories */
	const char *q;                /* words the text holds (folded, core/fold.h), or NULL */
	int limit;                    /* 0 = 200; at most 1000 */
	int64_t offset;               /* rows of the order to skip (paging) */
};

/* Checks every field (date, text, tags against the author's
 * organisation's lists, links the author may make, consent to quote). The
 * author must be set. old is the story being replaced (NULL for a new
 * one): an activity or family link it already had is kept even if that
 * activity was deleted or that family anonymised since (the consent to
 * quote is checked again all the same). Returns 0 when valid, -1
 * otherwise (errors in v, named by interchange field: "text", "family",
 * "consent_quote", …). */
int story_validate(struct db *db, const struct actor *who, const struct story *s,
		   const struct story *old, struct validation *v);

/* Inserts (s->id == 0; s->id is set) or updates s and replaces its tags.
 * An empty territory is filled from the activity, project or author. The
 * caller holds a write transaction and has validated s. 0 or -1. */
int story_save(struct db *db, struct arena *ar, struct story *s);

/* Reads one story as who may see it (text NULL when not allowed). 0, 1
 * when absent or not visible, -1 on error. Strings in the arena. */
int story_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
	      struct story *out);

/* True when who may edit s (its author, or a manager of its author's
 * organisation). */
bool story_can_edit(const struct actor *who, const struct story *s);

/* The level who selects at: a manager's organisation, a comité's
 * territory, else STORY_LEVEL_NONE. */
enum story_level story_level_of(const struct actor *who);

/* The level's code as stored ("organisation", "territoire") and its name
 * for people (French source, N_: translate with TR/i18n_tr), "" for none. */
const char *story_level_code(enum story_level l);
const char *story_level_name(enum story_level l);

/* "Selected by" the level, as a person reads it (French source, N_):
 * "Retenu par l'organisation", "Retenu par le comité du territoire". */
const char *story_level_chosen_by(enum story_level l);

/* The choice of level l of s (l must be a level). */
const struct story_choice *story_choice_of(const struct story *s, enum story_level l);

/* True when who may act on s at their level: a manager on a story of
 * their organisation; the comité of the story's territory on a story its
 * organisation selected (or the comité itself did). s was read by
 * story_get for who. Whether the selection itself is accepted (text
 * readable, reason given, level above) is story_select's. */
bool story_can_select(struct db *db, const struct actor *who, const struct story *s);

/* True when who can read s's text, so may select it (story_select). */
bool story_text_readable(const struct story *s);

/* One page of the stories who may see, newest first, with tags; text only
 * where allowed. Who sees what is decided in SQL, before the LIMIT, so no
 * page comes out short. f->q keeps the stories whose text holds every word
 * of it (at most FOLD_MAX_WORDS, each the start of a word, accents and
 * plurals folded), searched only in the texts who may read: a word of a
 * hidden text finds nothing. *total (when not NULL) is how many stories
 * match on every page. Arena memory. 0 or -1. */
int story_list(struct db *db, struct arena *ar, const struct actor *who,
	       const struct story_filter *f, struct story **out, size_t *n, int64_t *total);

/* Selects (select true: reason required, 1..STORY_REASON_MAX characters)
 * or unselects story id at who's level, recording who, when and why (the
 * reason of a de-selection is optional) in the history. The caller holds a
 * write transaction. Returns 0; 1 when absent or who may not act on it
 * (story_can_select); 2 when refused, with the reason in v: field
 * "selection_reason" (missing or too long), "text" (who cannot read the
 * text), "level" (the level above keeps it); -1 on error. */
int story_select(struct db *db, const struct actor *who, int64_t id, bool select,
		 const char *reason, struct validation *v);

/* Writes the choice of level l for story id as given (no rights checked:
 * story_select's caller, or an import, decided), and a history line when
 * it changes the choice or its reason. reason NULL is stored as "". 0 or
 * -1. */
int story_selection_put(struct db *db, int64_t id, enum story_level l, bool select,
			const char *reason, int64_t by, int64_t at);

/* One change of a story's selection. */
struct story_selection_event {
	enum story_level level;
	bool selected;      /* selected, else withdrawn */
	const char *reason; /* NULL when none, or hidden from the reader */
	int64_t at;
	const char *who; /* the person's name; NULL when hidden from the reader */
};

/* The selection history of s (read by story_get for who), oldest first.
 * A reader who does not see the whole story sees who made the changes of
 * their own level only. Arena memory. 0 or -1. */
int story_selection_history(struct db *db, struct arena *ar, const struct actor *who,
			    const struct story *s, struct story_selection_event **out, size_t *n);

/* ---- For the report engine. */

/* Who a report is for; same order as the engine's enum report_view. The
 * view changes nothing about text: no view ever gets a text that is not
 * quotable, and no view gets the family's code, the author or the
 * activity. */
enum story_view {
	STORY_VIEW_COMPLET = 0,
	STORY_VIEW_GESTIONNAIRE,
	STORY_VIEW_COMITE,
	STORY_VIEW_ANALYSTE,
};

/* A selected story as a report shows it. */
struct story_report_item {
	int64_t id;
	const char *ext_id;
	const char *date;
	const char *text; /* NULL unless quotable */
	bool quotable;
	const char *reasons[STORY_LEVELS]; /* each level's reason, NULL when not selected there */
	int64_t territory_id;
	struct strlist strategies, outcomes, needs, components;
};

/* The stories of the scope SELECTED at some level: date in [from, min(to, as_of)],
 * territory (with descendants; 0 = all), author's organisation and its
 * sector (0 = all). Oldest first. Text only when quotable. Arena memory.
 * 0 or -1. */
int story_list_for_report(struct db *db, struct arena *ar, const struct ind_scope *scope,
			  enum story_view view, struct story_report_item **out, size_t *n);

/* Stories per tag in the scope (same rules), all stories or only the
 * selected ones. kind is "strategy", "outcome", "need" or "component". */
struct story_tag_count {
	const char *kind;
	const char *code;
	int64_t count;
};
struct story_tag_counts {
	int64_t stories; /* stories in the scope */
	size_t n;
	struct story_tag_count *v; /* by kind, then most frequent first, then code */
};
int story_count_by_tag(struct db *db, struct arena *ar, const struct ind_scope *scope,
		       bool selected_only, struct story_tag_counts *out);

#endif
