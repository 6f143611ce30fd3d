/* proxima: the command line (src/cli/). One binary is the whole
 * deployment. Exit codes: 0 success, 1 failure, 2 usage error or missing
 * file. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
