/* Reading reference data files (gates.json, commodities.json,
 * registry.json) into a struct bf_dataset, with every record checked. A
 * bad file is refused whole, with an error that names the file, the
 * record and the field. */
#ifndef BF_CODEC_DATASET_H
#define BF_CODEC_DATASET_H

#include "model/dataset.h"
#include "model/error.h"

#include <jansson.h>

#include <stddef.h>

/* Parses one file's TEXT (LEN bytes). NAME is how errors refer to the
 * file; its base name says what it holds. Records are appended to OUT. */
int bf_dataset_parse(const char *name, const char *text, size_t len, struct bf_dataset *out, struct bf_error *err);
/* Checks what spans files: duplicate keys, and registry records naming
 * commodities the data does not hold. */
int bf_dataset_check(const struct bf_dataset *d, struct bf_error *err);
/* Loads DIR/gates.json, DIR/commodities.json and DIR/registry.json, or the
 * copies built into the binary when DIR is NULL. On failure OUT is empty. */
int bf_dataset_load(const char *dir, struct bf_dataset *out, struct bf_error *err);

/* One train of a timetable, the object T at PATH. */
struct bf_jr;
int bf_dataset_parse_train(struct bf_jr *c, json_t *t, const char *path, struct bf_train *out);

/* Largest data file accepted, so that a wrong path cannot eat the memory. */
#define BF_DATASET_FILE_MAX (16u << 20)

#endif
