/* HTML writer of a report: one standalone, printable page (inline CSS, no
 * script, no external resource), in the report's language. It prints what
 * the struct holds: suppressed figures only as their display string. */
#include <stdio.h>
#include <string.h>

#include "core/escape.h"
#include "core/i18n.h"
#include "reports/report.h"

static const char CSS[] =
	"body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
	"h1{font-size:1.5em}h2{font-size:1.1em;margin-top:1.5em;border-bottom:1px solid #999}"
	"table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:.2em "
	".5em;"
	"text-align:left}td.n{text-align:right}.sup{color:#a00}.meta{color:#555}"
	"@media print{body{margin:0}section{break-inside:avoid}}";

/* v with one decimal in lang (a decimal comma in French), into out. */
static const char *dec1(const char *lang, double v, char out[32])
{
	snprintf(out, 32, "%.1f", v);
	if (strcmp(lang, "en") != 0)
		for (char *p = out; *p; p++)
			if (*p == '.')
				*p = ',';
	return out;
}

/* See report.h. */
int report_write_html(const struct report *r, struct buf *out)
{
	const struct report_scope *s = &r->scope;
	const char *lang = s->lang ? s->lang : "fr";
	char from[11], to[11], asof[11];
	ptime_format_date(&s->from, from);
	ptime_format_date(&s->to, to);
	ptime_format_date(&s->as_of, asof);
	html_printf(out,
		    "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
		    "<title>%s</title><style>%R</style></head><body>\n",
		    lang, i18n_tr(lang, "Rapport d'indicateurs"), CSS);
	html_printf(out, "<h1>%s — %s</h1>\n", i18n_tr(lang, "Rapport d'indicateurs"),
		    s->territory_name ? s->territory_name : i18n_tr(lang, "Tous les territoires"));
	html_printf(out, "<p class=\"meta\">%s %s – %s · %s %s · %s %s", i18n_tr(lang, "Période"),
		    from, to, i18n_tr(lang, "en date du"), asof, i18n_tr(lang, "vue"),
		    report_view_name(s->view));
	if (s->sector)
		html_printf(out, " · %s %s", i18n_tr(lang, "secteur"),
			    s->sector_name ? s->sector_name : s->sector);
	if (s->organisation)
		html_printf(out, " · %s %s", i18n_tr(lang, "organisation"),
			    s->organisation_name ? s->organisation_name : s->organisation);
	if (s->view == REPORT_VIEW_COMITE || s->view == REPORT_VIEW_ANALYSTE)
		html_printf(out, " · %s %d", i18n_tr(lang, "seuil de confidentialité"),
			    s->threshold);
	html_printf(out, "</p>\n");
	if (s->protection)
		html_printf(out, "<p class=\"meta\" id=\"protection\">%s</p>\n",
			    s->protection_note);
	for (size_t i = 0; i < r->n_indicators; i++) {
		const struct ind_result *ir = &r->indicators[i];
		html_printf(out, "<section id=\"%s\"><h2>%s</h2>\n<table>", ir->id, ir->label);
		html_printf(out, "<tr><th>%s</th><td class=\"n%s\">%s</td><td>%s</td></tr>",
			    i18n_tr(lang, "Valeur"), ir->suppressed ? " sup" : "", ir->display,
			    ir->unit);
		if (ir->has_n)
			html_printf(out, "<tr><th>n</th><td class=\"n\">%lld</td><td></td></tr>",
				    (long long)ir->n);
		char d1[32], d2[32];
		if (ir->has_median)
			html_printf(out, "<tr><th>%s</th><td class=\"n\">%s</td><td></td></tr>",
				    i18n_tr(lang, "Médiane"), dec1(lang, ir->median, d1));
		if (ir->has_p90)
			html_printf(out, "<tr><th>p90</th><td class=\"n\">%s</td><td></td></tr>",
				    dec1(lang, ir->p90, d1));
		if (ir->has_ratio)
			html_printf(out,
				    "<tr><th>%s</th><td class=\"n\">%s / %s</td><td></td></tr>",
				    i18n_tr(lang, "Numérateur / dénominateur"),
				    dec1(lang, ir->numerator, d1), dec1(lang, ir->denominator, d2));
		if (ir->target.present)
			html_printf(
				out, "<tr><th>%s</th><td class=\"n\">%s %s</td><td>%s</td></tr>",
				i18n_tr(lang, "Cible"), ir->target.op,
				dec1(lang, ir->target.value, d1), report_status_name(ir->status));
		for (size_t d = 0; d < ir->n_details; d++)
			html_printf(out, "<tr><th>%s</th><td class=\"n%s\">%s</td><td></td></tr>",
				    ir->details[d].label, ir->details[d].suppressed ? " sup" : "",
				    ir->details[d].display);
		html_printf(out, "</table>\n");
		for (size_t b = 0; b < ir->n_breakdowns; b++) {
			const struct report_breakdown *bd = &ir->breakdowns[b];
			if (!bd->n_cells)
				continue;
			html_printf(out, "<table><caption>%s</caption>", bd->label);
			for (size_t k = 0; k < bd->n_cells; k++) {
				const struct report_cell *c = &bd->cells[k];
				html_printf(
					out,
					"<tr><th>%s</th><td class=\"n%s\">%s</td><td>%s</td></tr>",
					c->label, c->suppressed ? " sup" : "", c->display,
					c->note ? c->note : "");
			}
			html_printf(out, "</table>\n");
		}
		html_printf(out, "</section>\n");
	}
	html_printf(out, "</body></html>\n");
	return out->overflow ? -1 : 0;
}
