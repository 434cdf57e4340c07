/*
 * cachelock: one build at a time per cache folder (see cachelock.h).
 */
#include "cachelock.h"

#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

int cache_lock(const char *dir, bool create, bool quiet)
{
	if (!dir)
		return -1;
	char *path = xasprintf("%s/lock", dir);
	if (create) { /* the output's parent may not exist yet either */
		path[strlen(dir)] = '\0';
		int made = make_folders(path, 0);
		path[strlen(dir)] = '/';
		if (made != 0) {
			free(path);
			return -1;
		}
	}
	int fd = open(path, create ? O_RDWR | O_CREAT | O_CLOEXEC :
		O_RDONLY | O_CLOEXEC, 0644);
	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK && !quiet)
			fprintf(stderr, "enquire: waiting for another build using '%s' to finish\n",
				dir);
		int rc;
		while ((rc = flock(fd, LOCK_EX)) != 0 && errno == EINTR)
			;
		if (rc != 0) {
			close(fd);
			fd = -1;
		}
	}
	free(path);
	return fd;
}

void cache_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* closing the last descriptor releases the lock */
}
