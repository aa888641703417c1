/*
 * Tests of the HTML report (--report): the page of lossy_close.ini opened
 * in a real headless browser (Debian's chromium, driven by
 * tests/report_browser.py over the DevTools protocol) draws one arrow and
 * one table row per packet of the run, shows the third packet's header,
 * reason and frame number when it is clicked, steps with n and p, zooms,
 * fits a 200 % zoom, prints without its buttons, logs nothing, throws nothing and fetches nothing; the
 * same seed writes the same bytes; nothing in the page points to the
 * network; the reasons a packet is sent are named (a timeout's
 * retransmission, a keepalive probe, a delayed ACK, a router's ICMP); a path that is not .html, or one another output writes, is a
 * usage error; and docs/report.png is the browser's screenshot's size.
 */
#include <string.h>
#include <sys/wait.h>
#include <glib.h>
#include "tests/output_util.h"

#define BROWSER_DRIVER "tests/report_browser.py"
#define README_SCREENSHOT "docs/report.png"
#define SCREENSHOT_COMMAND "./tcpsim configs/lossy_close.ini -q --report /tmp/r.html && " \
                           BROWSER_DRIVER " /tmp/r.html --screenshot " README_SCREENSHOT

/* The driver's "key<TAB>value" lines; NULL when it could not run (no
 * browser: the test is skipped). */
static GHashTable *browse(char *html, int click)
{
	char *n = g_strdup_printf("%d", click);
	char python[] = "python3", driver[] = BROWSER_DRIVER, flag[] = "--click";
	char *argv[] = {python, driver, html, flag, n, NULL};
	char *out = NULL, *err = NULL;
	int status = 0;
	GError *error = NULL;
	gboolean ok = g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
	                           &status, &error);
	g_free(n);
	g_assert_no_error(error);
	g_assert_true(ok);
	if (g_spawn_check_wait_status(status, NULL) == FALSE && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 77) {
		g_test_skip("no chromium: `make deps` installs it");
		g_free(out);
		g_free(err);
		return NULL;
	}
	if (!g_spawn_check_wait_status(status, NULL))
		g_test_message("%s failed: %s", BROWSER_DRIVER, err);
	g_assert_true(g_spawn_check_wait_status(status, NULL));
	GHashTable *kv = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	char **lines = g_strsplit(out, "\n", -1);
	for (char **l = lines; *l; l++) {
		char *tab = strchr(*l, '\t');
		if (tab)
			g_hash_table_insert(kv, g_strndup(*l, (gsize)(tab - *l)), g_strdup(tab + 1));
	}
	g_strfreev(lines);
	g_free(out);
	g_free(err);
	return kv;
}

static const char *get(GHashTable *kv, const char *key)
{
	const char *v = g_hash_table_lookup(kv, key);
	if (!v)
		g_test_message("the browser said nothing of %s", key);
	g_assert_nonnull(v);
	return v;
}

static void test_browser(void)
{
	const char *const args[] = {"--json", "--report", "{tmp}/r.html", NULL};
	struct out_run r;
	out_run(&r, "configs/lossy_close.ini", args, TRUE);
	char *html = out_path(&r, "r.html");
	GHashTable *kv = browse(html, 3);
	if (kv) {
		gint64 sent = g_ascii_strtoll(scn_json_get(r.json, "network.sent")->text, NULL, 10);
		g_assert_cmpint(sent, ==, 12);
		g_assert_cmpint(g_ascii_strtoll(get(kv, "segments"), NULL, 10), ==, sent);
		g_assert_cmpint(g_ascii_strtoll(get(kv, "rows"), NULL, 10), ==, sent);
		g_assert_cmpstr(get(kv, "bands"), ==, "8");
		g_assert_cmpstr(get(kv, "legend"), ==, "14");
		/* the third packet: the client's ACK that ends the handshake */
		g_assert_cmpstr(get(kv, "selected"), ==, "seg-3");
		g_assert_cmpstr(get(kv, "details.#"), ==, "3");
		g_assert_cmpstr(get(kv, "details.direction"), ==, "client \u2192 server");
		g_assert_cmpstr(get(kv, "details.flags"), ==, ".");
		g_assert_cmpstr(get(kv, "details.seq"), ==, "1");
		g_assert_cmpstr(get(kv, "details.ack"), ==, "1");
		g_assert_cmpstr(get(kv, "details.length"), ==, "0");
		g_assert_cmpstr(get(kv, "details.options"), ==, "TS val 274920713 ecr 1780220134");
		g_assert_cmpstr(get(kv, "details.why it was sent"), ==, "acknowledgment of what just arrived");
		g_assert_cmpstr(get(kv, "details.what the network did"), ==, "delivered after 26.668 ms");
		g_assert_cmpstr(get(kv, "details.frame"), ==, "3");
		g_assert_cmpstr(get(kv, "selected_after_next"), ==, "seg-4");
		g_assert_cmpstr(get(kv, "selected_after_prev"), ==, "seg-2");
		g_assert_cmpstr(get(kv, "zoom_grew"), ==, "1");
		g_assert_cmpstr(get(kv, "overflow_at_200"), ==, "0");
		/* printed: the buttons gone, the diagram at the page's width */
		gint64 pages = g_ascii_strtoll(get(kv, "print_pages"), NULL, 10);
		g_assert_cmpint(pages, >=, 2);
		g_assert_cmpint(pages, <=, 12);
		g_assert_cmpstr(get(kv, "print_toolbar_shown"), ==, "0");
		g_assert_cmpint(g_ascii_strtoll(get(kv, "print_diagram_width"), NULL, 10), >, 1000);
		g_assert_cmpstr(get(kv, "console"), ==, "0");
		g_assert_cmpstr(get(kv, "exceptions"), ==, "0");
		g_assert_cmpstr(get(kv, "requests"), ==, "0");
		g_assert_cmpstr(get(kv, "screenshot_width"), ==, "1280");
		g_assert_cmpstr(get(kv, "screenshot_height"), ==, "900");
		g_hash_table_unref(kv);
	}
	g_free(html);
	out_run_clear(&r);
}

/* The page's bytes for a config. */
static char *report_of(const char *config, gsize *len)
{
	const char *const args[] = {"-q", "--report", "{tmp}/r.html", NULL};
	struct out_run r;
	char *text = NULL;
	out_run(&r, config, args, TRUE);
	char *html = out_path(&r, "r.html");
	g_assert_true(g_file_get_contents(html, &text, len, NULL));
	g_free(html);
	out_run_clear(&r);
	return text;
}

static void test_deterministic(void)
{
	gsize a_len, b_len;
	char *a = report_of("configs/lossy_close.ini", &a_len);
	char *b = report_of("configs/lossy_close.ini", &b_len);
	g_assert_cmpmem(a, a_len, b, b_len);
	g_free(a);
	g_free(b);
}

/* Self-contained: no address of the network, no file beside it. */
static void test_offline(void)
{
	gsize len;
	char *page = report_of("configs/lossy_close.ini", &len);
	g_assert_null(strstr(page, "http://"));
	g_assert_null(strstr(page, "https://"));
	g_assert_null(strstr(page, "src="));
	g_assert_null(strstr(page, "<link"));
	g_assert_null(strstr(page, "@import"));
	for (const char *p = page; (p = strstr(p, "href=\"")) != NULL; p += 6)
		g_assert_cmpint(p[6], ==, '#'); /* links within the page only */
	g_assert_cmpuint(len, <, 200 * 1024);
	/* what a reader looks for, in the text the page prints */
	g_assert_nonnull(strstr(page, "tail loss probe (retransmission #1, RTO 248 ms)"));
	g_assert_nonnull(strstr(page, "dropped by the network (loss)"));
	g_assert_nonnull(strstr(page, "&sect;3.10.8 (time-wait timeout)"));
	g_assert_nonnull(strstr(page, "the program&#39;s close() call"));
	g_assert_nonnull(strstr(page, "tcpsim configs/lossy_close.ini --seed 32"));
	g_assert_nonnull(strstr(page, "[simulation]"));
	g_free(page);
}

/* The reasons the issue names, in the configs that show them. */
static void test_reasons(void)
{
	const struct { const char *config, *text; } cases[] = {
		{"configs/connect_timeout.ini", "<td>retransmission #2 after a timeout (RTO "},
		{"configs/half_open_keepalive.ini", "<td>keepalive probe (one below what was sent"},
		{"configs/fin_wait2_timeout.ini", "<td>delayed ACK ("},
		{"configs/host_unreachable.ini", "<td>ICMP host unreachable from a router</td>"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		gsize len;
		char *page = report_of(cases[i].config, &len);
		if (!strstr(page, cases[i].text))
			g_test_message("%s: no %s", cases[i].config, cases[i].text);
		g_assert_nonnull(strstr(page, cases[i].text));
		g_free(page);
	}
}

/* In a pcapng (both interfaces) a delivered packet is two frames: the
 * tail loss probe of lossy_close.ini is frames 19 and 20, as tshark
 * numbers them with its comment. */
static void test_pcapng_frames(void)
{
	const char *const args[] = {"-q", "--format", "pcapng", "--report", "{tmp}/r.html", NULL};
	struct out_run r;
	char *page = NULL;
	out_run(&r, "configs/lossy_close.ini", args, TRUE);
	char *html = out_path(&r, "r.html");
	g_assert_true(g_file_get_contents(html, &page, NULL, NULL));
	const char *row = strstr(page, "<tr id=\"row-11\"");
	g_assert_nonnull(row);
	const char *end = strstr(row, "</tr>");
	char *text = g_strndup(row, (gsize)(end - row));
	g_assert_nonnull(strstr(text, "tail loss probe (retransmission #1, RTO 248 ms)"));
	g_assert_nonnull(strstr(text, "<td>19 at the server, 20 at the client</td>"));
	g_free(text);
	g_free(page);
	g_free(html);
	out_run_clear(&r);
}

static void test_usage(void)
{
	const char *const txt[] = {"-q", "--report", "{tmp}/r.txt", NULL};
	struct out_run r;
	out_run(&r, "configs/lossy_close.ini", txt, FALSE);
	g_assert_cmpint(r.run.status, ==, 2);
	g_assert_nonnull(strstr(r.run.err, "expected a .html file"));
	out_run_clear(&r);
	const char *const same[] = {"-q", "--report", "{tmp}/r.html", "--events", "{tmp}/r.html", NULL};
	out_run(&r, "configs/lossy_close.ini", same, FALSE);
	g_assert_cmpint(r.run.status, ==, 2);
	g_assert_nonnull(strstr(r.run.err, "--report"));
	out_run_clear(&r);
}

/* PNG width and height from the IHDR chunk (RFC 2083). */
static void test_readme_screenshot(void)
{
	char *data = NULL;
	gsize len = 0;
	if (!g_file_get_contents(README_SCREENSHOT, &data, &len, NULL))
		g_test_message("%s is missing: make it with `%s`", README_SCREENSHOT, SCREENSHOT_COMMAND);
	g_assert_nonnull(data);
	g_assert_cmpuint(len, >, 24);
	g_assert_cmpmem(data + 1, 3, "PNG", 3);
	const guchar *u = (const guchar *)data;
	guint w = (guint)u[16] << 24 | (guint)u[17] << 16 | (guint)u[18] << 8 | u[19];
	guint h = (guint)u[20] << 24 | (guint)u[21] << 16 | (guint)u[22] << 8 | u[23];
	g_assert_cmpuint(w, ==, 1280);
	g_assert_cmpuint(h, ==, 900);
	g_free(data);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/report/lossy-close/browser", test_browser);
	g_test_add_func("/report/deterministic", test_deterministic);
	g_test_add_func("/report/offline", test_offline);
	g_test_add_func("/report/reasons", test_reasons);
	g_test_add_func("/report/pcapng-frames", test_pcapng_frames);
	g_test_add_func("/report/usage", test_usage);
	g_test_add_func("/report/readme-screenshot", test_readme_screenshot);
	return g_test_run();
}
