/* The registry (service/registry.c): exporters, planting areas and
 * packing houses, written only by the registry authority of the country
 * that issued them, each change one event; and the import of registry CSV
 * files, all rows or none. */
#ifndef BF_SERVICE_REGISTRY_H
#define BF_SERVICE_REGISTRY_H

#include "codec/registry_csv.h"
#include "service/service.h"

/* struct bf_registry_record and the table of the three kinds: model/registry.h. */

/* Creates (CREATE) or replaces a record, as ACTOR: only a registry
 * authority of the country that issued the record may. One event a
 * change: created, updated, suspended or reinstated. */
int bf_service_registry_save(struct bf_service *svc, const struct bf_party *actor, const struct bf_registry_record *r,
                             bool create, struct bf_error *err);
/* Changes the record of KIND with KEY in one write transaction: MERGE,
 * given the record as stored, applies the change; the result is saved as
 * by bf_service_registry_save() and copied to *OUT. Two changes at once
 * cannot undo each other. */
int bf_service_registry_patch(struct bf_service *svc, const struct bf_party *actor, enum bf_registry_kind kind,
                              const char *key,
                              int (*merge)(struct bf_registry_record *rec, void *cls, struct bf_error *err), void *cls,
                              struct bf_registry_record *out, struct bf_error *err);
/* Reads the record of KIND with KEY into *OUT. */
int bf_service_registry_get(struct bf_service *svc, enum bf_registry_kind kind, const char *key,
                            struct bf_registry_record *out, struct bf_error *err);
/* A page of KIND in key order after AFTER; *OUT is an array of the
 * kind's struct, freed with free(). */
int bf_service_registry_list(struct bf_service *svc, enum bf_registry_kind kind, const char *after, int limit,
                             void **out, size_t *n, struct bf_error *err);

/* Imports a registry CSV: one header row naming the columns, which says
 * the kind (exporters: id,name,country,status,approvals; planting areas:
 * code,hs_code,country,province,status; packing houses:
 * code,name,country,province,status), read by codec/registry_csv.h.
 * Rows are created or replace the record with their key, in one
 * transaction. A file with any bad row imports nothing: BF_EREJECTED,
 * with every problem in REPORT. */
int bf_service_import_registry(struct bf_service *svc, const struct bf_party *actor, const char *text, size_t len,
                               struct bf_import_report *report, struct bf_error *err);

/* The effect here of a registry event E of the peer's chain (created,
 * updated, suspended, reinstated), within the caller's transaction, so
 * that a code suspended on one node is suspended on both: the record as
 * the payload gives it, when it is a code of the peer's country (the
 * peer's node operator's imports of this side's codes stay history).
 * BF_EINVAL when the payload cannot be read. */
int bf_service_registry_apply(struct bf_store *s, const struct bf_event *e, struct bf_error *err);

#endif
