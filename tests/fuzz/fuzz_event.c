/* libFuzzer harness: the event decoding two nodes exchange. The input is
 * a feed page; each of its events goes through bf_ledger_event_parse()
 * alone, then the whole page through bf_sync_apply_page() on a
 * fresh node "cn" pulling from "vn". With BF_FUZZ_PEER_KEYS naming
 * node vn's key export (tests/fuzz/vn-keys.json, which signed the seed
 * pages), the seeds verify and are applied with their effects. */
#include "fuzz_common.h"
#include "ledger/ledger.h"
#include "peer/sync.h"
#include "service/ledger.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_open_service("cn");
	const char *keys = getenv("BF_FUZZ_PEER_KEYS");
	if (keys != NULL && *keys) {
		static char text[256 * 1024];
		struct bf_error err = {0};
		int added, known;
		FILE *f = fopen(keys, "rb");
		size_t len = f ? fread(text, 1, sizeof(text), f) : 0;
		if (f == NULL || bf_service_keys_import(fuzz_svc, text, len, &added, &known, &err) != 0) {
			fprintf(stderr, "fuzz: cannot import the peer's keys from %s: %s\n", keys, err.message);
			abort();
		}
		fclose(f);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bf_error err = {0};
	struct bf_sync_result res;
	json_t *page, *events, *x;
	size_t i;
	if (size > 256 * 1024)
		return -1;
	page = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	events = json_object_get(page, "events");
	json_array_foreach (events, i, x) {
		struct bf_event e;
		struct bf_error perr = {0};
		if (bf_ledger_event_parse(x, &e, &perr) == 0)
			free(e.payload);
	}
	json_decref(page);
	bf_sync_apply_page(fuzz_svc, "vn", (const char *)data, size, &res, &err);
	return 0;
}
