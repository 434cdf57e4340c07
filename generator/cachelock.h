/*
 * cachelock: one build at a time per cache folder.
 *
 * A rebuild updates the site in place and saves the caches' new
 * segments and indexes; two builds doing that at once (an editor's
 * watcher starting a build before the last one ended, or two sites
 * sharing ENQUIRE_CACHE_DIR) would interleave their renames and leave a
 * manifest that does not describe the site. So a build that uses the
 * cache holds an exclusive flock(2) on <cache>/lock for its whole run; a
 * second one waits for it, and so does a --no-cache build when the lock
 * file exists. The kernel drops the lock when the process
 * ends, however it ends, so a crash never leaves a stale lock.
 */
#ifndef ENQUIRE_CACHELOCK_H
#define ENQUIRE_CACHELOCK_H

#include <stdbool.h>

/* Locks dir, waiting (and saying so on stderr unless quiet) while
 * another build holds it. create: make dir and its lock file if needed;
 * else lock only one that exists (a --no-cache build writes nothing in
 * the cache, but must not run alongside a build that updates the site).
 * Returns the lock's file descriptor, or -1 when there is none to take
 * (dir NULL, or unwritable: the caches then fail to open or save, which
 * is a miss, never an error). */
int cache_lock(const char *dir, bool create, bool quiet);
void cache_unlock(int fd);

#endif
