/*
 * The diagram's display list: what sim/out/diagram/diagram.c lays out and the back ends
 * (diagram_svg.c, diagram_png.c) draw, in order, later items over earlier
 * ones.  Coordinates are pixels from the top left corner, y going down.
 * Groups carry a class ("arrow rtx", "cross", ...) that the SVG keeps and
 * cairo ignores; they nest.
 */
#ifndef SIM_OUT_DIAGRAM_DIAGRAM_DRAW_H
#define SIM_OUT_DIAGRAM_DIAGRAM_DRAW_H

#include <stdbool.h>
#include <stdio.h>
#include <glib.h>

enum dg_kind {
	DG_GROUP,      /* opens a group of class `cls` */
	DG_GROUP_END,  /* closes the innermost group */
	DG_LINE,       /* (x[0], y[0]) to (x[1], y[1]) */
	DG_TRIANGLE,   /* filled, corners (x[i], y[i]) */
	DG_TEXT,       /* text at (x[0], y[0]) on its baseline */
	DG_POLYLINE,   /* stroked through the npts points pts[2i], pts[2i+1], not closed */
};

enum dg_anchor { DG_ANCHOR_START, DG_ANCHOR_MIDDLE, DG_ANCHOR_END };

struct dg_item {
	enum dg_kind kind;
	const char *cls;          /* DG_GROUP: class names (a static string) */
	double x[3], y[3];        /* points, see the kinds */
	const char *color;        /* "#rrggbb": stroke of a line, fill of the rest */
	double width;             /* DG_LINE: stroke width */
	bool dashed;              /* DG_LINE: 4 on, 3 off */
	double size;              /* DG_TEXT: font size, px */
	bool bold, italic;        /* DG_TEXT */
	enum dg_anchor anchor;    /* DG_TEXT: which end of the text is at x[0] */
	double angle;             /* DG_TEXT: rotation about x[0], y[0], degrees clockwise */
	char *text;               /* DG_TEXT: UTF-8, owned by the list */
	double *pts;              /* DG_POLYLINE: x, y pairs, owned by the list (color,
	                             width and dashed as for DG_LINE) */
	guint npts;               /* DG_POLYLINE: how many points */
};

struct dg_list {
	GArray *items;            /* struct dg_item */
	double width, height;     /* of the picture */
};

#define DG_FONT "DejaVu Sans"  /* the font both back ends ask for */

void dg_list_init(struct dg_list *l);
void dg_list_clear(struct dg_list *l);

/* The four corners of the box a text item covers, estimated from a
 * generous glyph width of DG_FONT (its anchor and rotation applied): what
 * the layout keeps apart, and what tests check. */
void dg_text_box(const struct dg_item *it, double bx[4], double by[4]);

/* Do the convex polygons a (na corners) and b (nb corners; 2 for a line
 * segment) overlap by more than half a pixel? */
bool dg_convex_overlap(const double *ax, const double *ay, int na, const double *bx,
                       const double *by, int nb);

/* The SVG document of l, written to f. */
void diagram_svg_write(const struct dg_list *l, FILE *f);

/* l as a PNG image written to f (cairo); false with *error without cairo
 * or if cairo fails. */
bool diagram_png_write(const struct dg_list *l, FILE *f, GError **error);

struct outfile;
/* l written to of as SVG (png false) or PNG, then of committed (renamed
 * into place) or, on a failure, abandoned; l is cleared either way. */
bool dg_list_write_out(struct dg_list *l, bool png, struct outfile *of, GError **error);

#endif
