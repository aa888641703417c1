/*
 * The diagram as a PNG image, drawn with cairo at one pixel per unit, on
 * white.  Built only with TCPSIM_HAVE_CAIRO (the Makefile defines it when
 * pkg-config finds cairo); without it, diagram_png_write() says so and
 * sim/out/diagram/diagram.c refuses .png names before the run.
 *
 * cairo's "toy" text API is enough here: one font (DG_FONT), left-to-right
 * labels, rotation about the anchor point as in the SVG.
 */
#include "sim/out/diagram/diagram_draw.h"

#ifdef TCPSIM_HAVE_CAIRO

#include <stdlib.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>

static void set_color(cairo_t *cr, const char *hex)
{
	unsigned v = 0;
	if (hex && hex[0] == '#')
		v = (unsigned)strtoul(hex + 1, NULL, 16);
	cairo_set_source_rgb(cr, ((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0,
	                     (v & 0xff) / 255.0);
}

static void draw_text(cairo_t *cr, const struct dg_item *it)
{
	cairo_text_extents_t ext;
	cairo_save(cr);
	cairo_select_font_face(cr, DG_FONT,
	                       it->italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
	                       it->bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, it->size);
	set_color(cr, it->color);
	cairo_translate(cr, it->x[0], it->y[0]);
	cairo_rotate(cr, it->angle * G_PI / 180.0);
	cairo_text_extents(cr, it->text, &ext);
	double dx = it->anchor == DG_ANCHOR_START ? 0
	            : it->anchor == DG_ANCHOR_MIDDLE ? -ext.x_advance / 2 : -ext.x_advance;
	cairo_move_to(cr, dx, 0);
	cairo_show_text(cr, it->text);
	cairo_restore(cr);
}

static void draw_item(cairo_t *cr, const struct dg_item *it)
{
	static const double dash[] = {4, 3};
	switch (it->kind) {
	case DG_GROUP:
	case DG_GROUP_END:
		break;
	case DG_LINE:
		set_color(cr, it->color);
		cairo_set_line_width(cr, it->width);
		cairo_set_dash(cr, dash, it->dashed ? 2 : 0, 0);
		cairo_move_to(cr, it->x[0], it->y[0]);
		cairo_line_to(cr, it->x[1], it->y[1]);
		cairo_stroke(cr);
		break;
	case DG_TRIANGLE:
		set_color(cr, it->color);
		cairo_move_to(cr, it->x[0], it->y[0]);
		cairo_line_to(cr, it->x[1], it->y[1]);
		cairo_line_to(cr, it->x[2], it->y[2]);
		cairo_close_path(cr);
		cairo_fill(cr);
		break;
	case DG_TEXT:
		draw_text(cr, it);
		break;
	case DG_POLYLINE:
		set_color(cr, it->color);
		cairo_set_line_width(cr, it->width);
		cairo_set_dash(cr, dash, it->dashed ? 2 : 0, 0);
		for (guint i = 0; i < it->npts; i++)
			(i ? cairo_line_to : cairo_move_to)(cr, it->pts[2 * i], it->pts[2 * i + 1]);
		cairo_stroke(cr);
		break;
	}
}

static cairo_status_t write_to_file(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

bool diagram_png_write(const struct dg_list *l, FILE *f, GError **error)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)l->width,
	                                                (int)l->height);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	for (guint i = 0; i < l->items->len; i++)
		draw_item(cr, &g_array_index(l->items, struct dg_item, i));
	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_write_to_png_stream(s, write_to_file, f);
	cairo_surface_destroy(s);
	/* No cairo object is left: let cairo drop its font caches, then
	 * fontconfig its own (cairo's test suite does the same), so leak
	 * checkers see none of the patterns they would hold until exit.  The
	 * next PNG, if any, initialises both again. */
	cairo_debug_reset_static_data();
	FcFini();
	if (st != CAIRO_STATUS_SUCCESS)
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cairo: %s",
		            cairo_status_to_string(st));
	return st == CAIRO_STATUS_SUCCESS;
}

#else /* no cairo */

bool diagram_png_write(const struct dg_list *l, FILE *f, GError **error)
{
	(void)l;
	(void)f;
	g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
	            "this tcpsim was built without cairo: no PNG output");
	return false;
}

#endif
