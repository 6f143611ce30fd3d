/* proxima export: interchange records as JSON Lines. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "db/db.h"
#include "interchange/interchange.h"

/* proxima export [--db PATH] [--key PATH] [--view V] FILE */
int cli_cmd_export(int argc, char **argv)
{
	struct cli_opts o = {0};
	const char *view = "comite", *file = NULL;
	int code = cli_parse_file_opts(argc, argv, true, &o, &view, &file);
	if (code >= 0)
		return code;
	enum ix_view v;
	if (interchange_view_parse(view, &v) < 0)
		return cli_usage_error(
			"--view must be admin, complet, gestionnaire, comite or analyste, not",
			view);
	struct db *db = cli_open_sealed(o.db, &code);
	if (!db)
		return code;
	if (v == IX_VIEW_ADMIN && (code = cli_load_key_if_any(&o)) != 0) {
		db_close(db);
		return code;
	}
	bool std = strcmp(file, "-") == 0;
	/* Created private: an admin export holds nominative details. */
	int fd = std ? -1 : open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FILE *out = std ? stdout : fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!out) {
		fprintf(stderr, "proxima: export: cannot create %s: %s\n", file, strerror(errno));
		if (fd >= 0)
			close(fd);
		db_close(db);
		return CLI_EXIT_USAGE;
	}
	struct export_result res;
	int rc = interchange_export(db, v, out, &res);
	if (!std && fclose(out) != 0 && rc == 0) {
		rc = -1;
		snprintf(res.reason, sizeof(res.reason), "cannot write %s", file);
	}
	db_close(db);
	if (rc < 0) {
		fprintf(stderr, "proxima: export: %s\n", res.reason);
		if (!std)
			unlink(file);
		return 1;
	}
	fprintf(std ? stderr : stdout,
		"proxima: exported %ld records (view %s, %ld with nominative details) to %s\n",
		res.records, view, res.nominative, std ? "standard output" : file);
	return 0;
}
