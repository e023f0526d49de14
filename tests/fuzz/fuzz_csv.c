/* libFuzzer harness: a registry CSV through the importer, as
 * `borderflow import registry` runs it, on a real database. */
#include "fuzz_common.h"
#include "service/registry.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_open_service("vn");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bf_import_report report;
	struct bf_error err = {0};
	if (size > 64 * 1024)
		return -1;
	bf_service_import_registry(fuzz_svc, &bf_service_node_operator, (const char *)data, size, &report, &err);
	return 0;
}
