/**
 * What Patchbay knows about its past and what lets it commit or undo: the append-only,
 * checksummed journal (forced to disk before the framework is touched), the committed levels and
 * operations kept in it, the content-addressed store of every jar a level may need, and the changes
 * that bring the framework back to a level (rollback and crash recovery). Relies on the data
 * folder's file system; it reads the framework's bundles to work out those changes but changes
 * nothing in the framework (the apply strategies carry the changes out).
 */
package io.patchbay.engine.internal.ledger;
