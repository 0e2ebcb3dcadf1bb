// How often the static path's file cache answered a lookup, and how often the lookup went to the disk: counted for the stats address.

/** Counts of this process since it started (one static handler per worker). */
export const staticCacheCounts = { hits: 0, misses: 0 };
