/*
 * The diagram as SVG 1.1, written directly: one element per display-list
 * item, groups as <g class="...">, numbers with one decimal, so the same
 * run always gives the same text.  Text is escaped for XML.
 */
#include "sim/out/diagram/diagram_draw.h"
#include "sim/escape.h"

/* Text for XML 1.0 character data and attribute values.  XML 1.0 (section
 * 2.2, Char) forbids most C0 controls even as character references, so
 * they, DEL, C1 controls and bytes that are not UTF-8 are first made
 * visible as in messages (sim/escape.h: \x1b, \n, \xff), then the five
 * markup characters become entities. */
static void put_escaped(FILE *f, const char *s)
{
	GString *shown = g_string_new(NULL);

	escape_append(shown, s, -1);
	for (const char *p = shown->str; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default: fputc(*p, f); break;
		}
	}
	g_string_free(shown, TRUE);
}

static const char *anchor_name(enum dg_anchor a)
{
	switch (a) {
	case DG_ANCHOR_START: return "start";
	case DG_ANCHOR_MIDDLE: return "middle";
	case DG_ANCHOR_END: return "end";
	}
	return "start";
}

static void put_text(FILE *f, const struct dg_item *it)
{
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" fill=\"%s\"", it->x[0], it->y[0],
	        it->size, it->color);
	if (it->bold)
		fputs(" font-weight=\"bold\"", f);
	if (it->italic)
		fputs(" font-style=\"italic\"", f);
	if (it->anchor != DG_ANCHOR_START)
		fprintf(f, " text-anchor=\"%s\"", anchor_name(it->anchor));
	if (it->angle != 0)
		fprintf(f, " transform=\"rotate(%.1f %.1f %.1f)\"", it->angle, it->x[0], it->y[0]);
	fputc('>', f);
	put_escaped(f, it->text);
	fputs("</text>\n", f);
}

static void put_polyline(FILE *f, const struct dg_item *it)
{
	fputs("<polyline points=\"", f);
	for (guint i = 0; i < it->npts; i++)
		fprintf(f, "%s%.1f,%.1f", i ? " " : "", it->pts[2 * (size_t)i], it->pts[2 * (size_t)i + 1]);
	fprintf(f, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>\n", it->color,
	        it->width, it->dashed ? " stroke-dasharray=\"4 3\"" : "");
}

static void put_item(FILE *f, const struct dg_item *it)
{
	switch (it->kind) {
	case DG_GROUP:
		fprintf(f, "<g class=\"%s\">\n", it->cls);
		break;
	case DG_GROUP_END:
		fputs("</g>\n", f);
		break;
	case DG_LINE:
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
		           "stroke-width=\"%.1f\"%s/>\n", it->x[0], it->y[0], it->x[1], it->y[1],
		        it->color, it->width, it->dashed ? " stroke-dasharray=\"4 3\"" : "");
		break;
	case DG_TRIANGLE:
		fprintf(f, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"%s\"/>\n",
		        it->x[0], it->y[0], it->x[1], it->y[1], it->x[2], it->y[2], it->color);
		break;
	case DG_TEXT:
		put_text(f, it);
		break;
	case DG_POLYLINE:
		put_polyline(f, it);
		break;
	}
}

void diagram_svg_write(const struct dg_list *l, FILE *f)
{
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	           "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%.0f\" "
	           "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"%s, Verdana, sans-serif\">\n"
	           "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n",
	        l->width, l->height, l->width, l->height, DG_FONT, l->width, l->height);
	for (guint i = 0; i < l->items->len; i++)
		put_item(f, &g_array_index(l->items, struct dg_item, i));
	fputs("</svg>\n", f);
}
