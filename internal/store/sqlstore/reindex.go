package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"quire/internal/archive"
)

// reindexBatch is how many works one transaction of ReindexWorks rewrites:
// small enough that a running archive's writers wait little for it.
const reindexBatch = 200

// ReindexWorks rewrites every work's full-text row from the stored work,
// as an edit does (refreshFTS): rows indexed by an older tokenizer (before
// CJK characters were spaced) then match like new ones.
func (s *Store) ReindexWorks(ctx context.Context, progress func(done, total int)) (int, error) {
	ids, err := collectInt64s(ctx, s.db, `SELECT id FROM works ORDER BY id`)
	if err != nil {
		return 0, err
	}
	done := 0
	for len(ids) > 0 {
		batch := ids[:min(reindexBatch, len(ids))]
		ids = ids[len(batch):]
		err := s.tx(ctx, func(tx *sql.Tx) error {
			for _, id := range batch {
				// A work deleted since the list was read is skipped.
				if err := refreshFTS(ctx, tx, id); err != nil && !errors.Is(err, archive.ErrNotFound) {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return done, err
		}
		done += len(batch)
		if progress != nil {
			progress(done, done+len(ids))
		}
	}
	return done, nil
}
