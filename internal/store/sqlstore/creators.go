package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// OrphanSuffix marks an orphan pseud that keeps the name of the pseud it
// replaced, as AO3 shows it: "Name (orphan_account)". A live pseud can't
// end so (pseud names have no parentheses), so the name stays unique.
const OrphanSuffix = " (" + OrphanPseud + ")"

func (s *Store) InviteCreator(ctx context.Context, inv *archive.CreatorInvitation) error {
	if inv.CreatedAt.IsZero() {
		inv.CreatedAt = time.Now().UTC()
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM work_creators WHERE work_id = ? AND pseud_id = ?`, inv.WorkID, inv.PseudID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("pseud %d is already a creator of work %d: %w", inv.PseudID, inv.WorkID, archive.ErrConflict)
		}
		var chapter any
		if inv.ChapterID != 0 {
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM chapters WHERE id = ? AND work_id = ?`, inv.ChapterID, inv.WorkID).Scan(&one)
			if err != nil {
				return notFound(err, "chapter")
			}
			chapter = inv.ChapterID
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO creator_invitations (work_id, pseud_id, inviter, created_at, chapter_id) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			inv.WorkID, inv.PseudID, inv.Inviter, unix(inv.CreatedAt), chapter).Scan(&inv.ID)
		if isUnique(err) {
			return fmt.Errorf("pseud %d is already invited to work %d: %w", inv.PseudID, inv.WorkID, archive.ErrConflict)
		}
		if isForeignKey(err) {
			return fmt.Errorf("invite to work %d: %w", inv.WorkID, archive.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("invite creator: %w", err)
		}
		return nil
	})
}

const creatorInvitationCols = `ci.id, ci.work_id, w.title, ci.pseud_id, p.name, COALESCE(p.user_id, 0), ci.inviter, ci.created_at,
	COALESCE(ci.chapter_id, 0), COALESCE(c.position, 0)
	FROM creator_invitations ci JOIN works w ON w.id = ci.work_id JOIN pseuds p ON p.id = ci.pseud_id
	LEFT JOIN chapters c ON c.id = ci.chapter_id`

func scanInvitations(rows *sql.Rows, err error) ([]*archive.CreatorInvitation, error) {
	if err != nil {
		return nil, fmt.Errorf("creator invitations: %w", err)
	}
	defer rows.Close()
	var out []*archive.CreatorInvitation
	for rows.Next() {
		var inv archive.CreatorInvitation
		var created int64
		if err := rows.Scan(&inv.ID, &inv.WorkID, &inv.WorkTitle, &inv.PseudID, &inv.Pseud, &inv.UserID, &inv.Inviter, &created, &inv.ChapterID, &inv.ChapterPosition); err != nil {
			return nil, err
		}
		inv.CreatedAt = fromUnix(created)
		out = append(out, &inv)
	}
	return out, rows.Err()
}

func (s *Store) CreatorInvitation(ctx context.Context, id int64) (*archive.CreatorInvitation, error) {
	invs, err := scanInvitations(s.db.QueryContext(ctx, `SELECT `+creatorInvitationCols+` WHERE ci.id = ?`, id))
	if err != nil {
		return nil, err
	}
	if len(invs) == 0 {
		return nil, fmt.Errorf("creator invitation %d: %w", id, archive.ErrNotFound)
	}
	return invs[0], nil
}

func (s *Store) CreatorInvitationsForUser(ctx context.Context, userID int64) ([]*archive.CreatorInvitation, error) {
	return scanInvitations(s.db.QueryContext(ctx, `SELECT `+creatorInvitationCols+` WHERE p.user_id = ? ORDER BY ci.id`, userID))
}

func (s *Store) CreatorInvitationsOfWork(ctx context.Context, workID int64) ([]*archive.CreatorInvitation, error) {
	return scanInvitations(s.db.QueryContext(ctx, `SELECT `+creatorInvitationCols+` WHERE ci.work_id = ? ORDER BY ci.id`, workID))
}

func (s *Store) AcceptCreatorInvitation(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var workID, pseudID int64
		var chapterID sql.NullInt64
		err := tx.QueryRowContext(ctx, `DELETE FROM creator_invitations WHERE id = ? RETURNING work_id, pseud_id, chapter_id`, id).Scan(&workID, &pseudID, &chapterID)
		if err != nil {
			return notFound(err, "creator invitation")
		}
		if chapterID.Valid {
			// The work's other chapters keep the creators they show now,
			// which are no longer the work's once the pseud joins it.
			if err := ownChapterBylines(ctx, tx, workID); err != nil {
				return fmt.Errorf("accept invitation %d: %w", id, err)
			}
			if err := appendChapterCreator(ctx, tx, chapterID.Int64, pseudID); err != nil {
				return fmt.Errorf("accept invitation %d: %w", id, err)
			}
		} else if _, err := tx.ExecContext(ctx, `INSERT INTO chapter_creators (chapter_id, pseud_id, position)
			SELECT cc.chapter_id, ?, MAX(cc.position) + 1 FROM chapter_creators cc JOIN chapters c ON c.id = cc.chapter_id
			WHERE c.work_id = ? GROUP BY cc.chapter_id ON CONFLICT DO NOTHING`, pseudID, workID); err != nil {
			return fmt.Errorf("accept invitation %d: chapters: %w", id, err)
		}
		if err := appendWorkCreator(ctx, tx, workID, pseudID); err != nil {
			return fmt.Errorf("accept invitation %d: %w", id, err)
		}
		return refreshByline(ctx, tx, workID)
	})
}

func appendWorkCreator(ctx context.Context, tx *sql.Tx, workID, pseudID int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO work_creators (work_id, pseud_id, position)
		VALUES (?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM work_creators WHERE work_id = ?)) ON CONFLICT DO NOTHING`,
		workID, pseudID, workID)
	return err
}

func appendChapterCreator(ctx context.Context, tx *sql.Tx, chapterID, pseudID int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO chapter_creators (chapter_id, pseud_id, position)
		VALUES (?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM chapter_creators WHERE chapter_id = ?)) ON CONFLICT DO NOTHING`,
		chapterID, pseudID, chapterID)
	return err
}

// ownChapterBylines gives every chapter of the work that follows the
// work's byline a copy of it, so that a change to the work's byline
// leaves what those chapters show alone.
func ownChapterBylines(ctx context.Context, tx *sql.Tx, workID int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO chapter_creators (chapter_id, pseud_id, position)
		SELECT c.id, wc.pseud_id, wc.position FROM chapters c JOIN work_creators wc ON wc.work_id = c.work_id
		WHERE c.work_id = ? AND NOT EXISTS (SELECT 1 FROM chapter_creators o WHERE o.chapter_id = c.id)`, workID)
	return err
}

// dropStrayChapterCreators removes from the work's chapters the pseuds no
// longer on the work's byline; a chapter left with none is its work's.
func dropStrayChapterCreators(ctx context.Context, tx *sql.Tx, workID int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM chapter_creators WHERE chapter_id IN (SELECT id FROM chapters WHERE work_id = ?)
		AND pseud_id NOT IN (SELECT pseud_id FROM work_creators WHERE work_id = ?)`, workID, workID)
	return err
}

func (s *Store) SetChapterCreators(ctx context.Context, workID, chapterID int64, pseudIDs []int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM chapters WHERE id = ? AND work_id = ?`, chapterID, workID).Scan(&one); err != nil {
			return notFound(err, "chapter")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM chapter_creators WHERE chapter_id = ?`, chapterID); err != nil {
			return fmt.Errorf("set chapter creators: %w", err)
		}
		if len(pseudIDs) == 0 {
			return nil
		}
		seen := map[int64]bool{}
		pos, added := 0, false
		for _, pid := range pseudIDs {
			if seen[pid] {
				continue
			}
			seen[pid] = true
			if _, err := tx.ExecContext(ctx, `INSERT INTO chapter_creators (chapter_id, pseud_id, position) VALUES (?, ?, ?)`, chapterID, pid, pos); err != nil {
				if isForeignKey(err) {
					return fmt.Errorf("pseud %d: %w", pid, archive.ErrNotFound)
				}
				return fmt.Errorf("set chapter creators: %w", err)
			}
			pos++
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM work_creators WHERE work_id = ? AND pseud_id = ?`, workID, pid).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				if !added {
					if err := ownChapterBylines(ctx, tx, workID); err != nil {
						return err
					}
					added = true
				}
				if err := appendWorkCreator(ctx, tx, workID, pid); err != nil {
					return err
				}
			}
		}
		if added {
			return refreshByline(ctx, tx, workID)
		}
		return nil
	})
}

// loadChapterCreators fills the chapters' own bylines.
func loadChapterCreators(ctx context.Context, q queryer, workID int64, cs []*archive.Chapter) error {
	if len(cs) == 0 {
		return nil
	}
	query, args := `SELECT cc.chapter_id, p.id, p.name, COALESCE(p.user_id, 0), COALESCE(u.name, '')
		FROM chapter_creators cc JOIN pseuds p ON p.id = cc.pseud_id LEFT JOIN users u ON u.id = p.user_id `, []any{}
	if len(cs) == 1 {
		query += `WHERE cc.chapter_id = ? ORDER BY cc.position`
		args = append(args, cs[0].ID)
	} else {
		query += `JOIN chapters c ON c.id = cc.chapter_id WHERE c.work_id = ? ORDER BY cc.chapter_id, cc.position`
		args = append(args, workID)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("chapter creators: %w", err)
	}
	defer rows.Close()
	byID := make(map[int64]*archive.Chapter, len(cs))
	for _, c := range cs {
		byID[c.ID] = c
	}
	for rows.Next() {
		var cid int64
		var c archive.Creator
		if err := rows.Scan(&cid, &c.PseudID, &c.Pseud, &c.UserID, &c.UserName); err != nil {
			return err
		}
		if ch := byID[cid]; ch != nil {
			ch.Creators = append(ch.Creators, c)
		}
	}
	return rows.Err()
}

func (s *Store) DeclineCreatorInvitation(ctx context.Context, id int64) error {
	return s.exec(ctx, "decline creator invitation", `DELETE FROM creator_invitations WHERE id = ?`, id)
}

// refreshByline closes position gaps and rewrites what derives from the
// byline (the creator sort key, the full-text row).
func refreshByline(ctx context.Context, tx *sql.Tx, workID int64) error {
	if err := renumberCreators(ctx, tx, workID); err != nil {
		return err
	}
	if err := refreshSortKeys(ctx, tx, workID); err != nil {
		return err
	}
	return refreshFTS(ctx, tx, workID)
}

func (s *Store) RemoveCreator(ctx context.Context, workID, userID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var mine, others int
		err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN p.user_id = ? THEN 1 ELSE 0 END), 0),
				COALESCE(SUM(CASE WHEN p.user_id IS NULL OR p.user_id <> ? THEN 1 ELSE 0 END), 0)
			FROM work_creators wc JOIN pseuds p ON p.id = wc.pseud_id WHERE wc.work_id = ?`, userID, userID, workID).Scan(&mine, &others)
		if err != nil {
			return fmt.Errorf("creators of work %d: %w", workID, err)
		}
		if mine == 0 {
			return fmt.Errorf("user %d on work %d: %w", userID, workID, archive.ErrNotFound)
		}
		if others == 0 {
			return archive.Invalid("creators", "you are this work's only creator; orphan or delete the work instead")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM work_creators WHERE work_id = ? AND pseud_id IN (SELECT id FROM pseuds WHERE user_id = ?)`, workID, userID); err != nil {
			return fmt.Errorf("remove creator: %w", err)
		}
		if err := dropStrayChapterCreators(ctx, tx, workID); err != nil {
			return fmt.Errorf("remove creator: %w", err)
		}
		return refreshByline(ctx, tx, workID)
	})
}

func (s *Store) OrphanWorks(ctx context.Context, userID int64, workIDs, seriesIDs []int64, keepPseud bool) (changed []int64, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		changed, err = orphanWorks(ctx, tx, userID, workIDs, seriesIDs, keepPseud)
		return err
	})
	return changed, err
}

// orphanPseudFor is the orphan pseud that replaces a pseud: the shared
// orphan_account, or one keeping the pseud's name.
func orphanPseudFor(ctx context.Context, tx *sql.Tx, name string, keep bool) (int64, error) {
	if !keep {
		return orphanPseudID(ctx, tx)
	}
	return namedOrphanPseud(ctx, tx, name+OrphanSuffix)
}

// namedOrphanPseud finds or makes the orphan pseud with the full name.
func namedOrphanPseud(ctx context.Context, tx *sql.Tx, full string) (int64, error) {
	var id int64
	key := userKey(full)
	err := tx.QueryRowContext(ctx, `SELECT id FROM pseuds WHERE user_id IS NULL AND name_key = ?`, key).Scan(&id)
	if err == nil {
		return id, nil
	}
	if err != sql.ErrNoRows {
		return 0, err
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO pseuds (user_id, name, name_key, is_default, created_at) VALUES (NULL, ?, ?, 0, ?) RETURNING id`,
		full, key, time.Now().Unix()).Scan(&id)
	return id, err
}

// isOrphanPseudName reports whether a byline name is an orphan pseud's.
func isOrphanPseudName(name string) bool {
	return userKey(name) == OrphanPseud || strings.HasSuffix(userKey(name), userKey(OrphanSuffix))
}

type bylineEntry struct {
	pseudID int64
	name    string
	mine    bool
}

// orphanWorks replaces the account's pseuds on the works' and series'
// bylines with orphan pseuds, in place (two of its pseuds that map to the
// same orphan pseud become one entry).
func orphanWorks(ctx context.Context, tx *sql.Tx, userID int64, workIDs, seriesIDs []int64, keep bool) ([]int64, error) {
	var changed []int64
	rewrite := func(table, key string, id int64) (bool, error) {
		rows, err := tx.QueryContext(ctx, `SELECT c.pseud_id, p.name, CASE WHEN p.user_id = ? THEN 1 ELSE 0 END
			FROM `+table+` c JOIN pseuds p ON p.id = c.pseud_id WHERE c.`+key+` = ? ORDER BY c.position`, userID, id)
		if err != nil {
			return false, err
		}
		var entries []bylineEntry
		for rows.Next() {
			var e bylineEntry
			if err := rows.Scan(&e.pseudID, &e.name, &e.mine); err != nil {
				rows.Close()
				return false, err
			}
			entries = append(entries, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return false, err
		}
		touched := false
		var out []int64
		seen := map[int64]bool{}
		for _, e := range entries {
			pid := e.pseudID
			if e.mine {
				touched = true
				if pid, err = orphanPseudFor(ctx, tx, e.name, keep); err != nil {
					return false, fmt.Errorf("orphan pseud: %w", err)
				}
			}
			if !seen[pid] {
				seen[pid] = true
				out = append(out, pid)
			}
		}
		if !touched {
			return false, nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE `+key+` = ?`, id); err != nil {
			return false, err
		}
		for i, pid := range out {
			if _, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (`+key+`, pseud_id, position) VALUES (?, ?, ?)`, id, pid, i); err != nil {
				return false, err
			}
		}
		return true, nil
	}
	for _, wid := range workIDs {
		ok, err := rewrite("work_creators", "work_id", wid)
		if err != nil {
			return nil, fmt.Errorf("orphan work %d: %w", wid, err)
		}
		if !ok {
			continue
		}
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT cc.chapter_id FROM chapter_creators cc JOIN chapters c ON c.id = cc.chapter_id
			WHERE c.work_id = ? ORDER BY cc.chapter_id`, wid)
		if err != nil {
			return nil, err
		}
		chapters, err := collectIDs(rows)
		if err != nil {
			return nil, err
		}
		for _, cid := range chapters {
			if _, err := rewrite("chapter_creators", "chapter_id", cid); err != nil {
				return nil, fmt.Errorf("orphan chapter %d: %w", cid, err)
			}
		}
		if err := refreshSortKeys(ctx, tx, wid); err != nil {
			return nil, err
		}
		if err := refreshFTS(ctx, tx, wid); err != nil {
			return nil, err
		}
		changed = append(changed, wid)
	}
	for _, sid := range seriesIDs {
		if _, err := rewrite("series_creators", "series_id", sid); err != nil {
			return nil, fmt.Errorf("orphan series %d: %w", sid, err)
		}
	}
	return changed, nil
}

func dumpCreatorInvitations(ctx context.Context, q queryer, fn func(store.DumpRecord) error) error {
	rows, err := q.QueryContext(ctx, `SELECT ci.work_id, COALESCE(ci.chapter_id, 0), p.name, ci.inviter, ci.created_at FROM creator_invitations ci
		JOIN pseuds p ON p.id = ci.pseud_id ORDER BY ci.work_id, p.name_key`)
	if err != nil {
		return fmt.Errorf("export creator invitations: %w", err)
	}
	var out []*store.DumpCreatorInvitation
	for rows.Next() {
		var c store.DumpCreatorInvitation
		var created int64
		if err := rows.Scan(&c.WorkID, &c.ChapterID, &c.Pseud, &c.Inviter, &created); err != nil {
			rows.Close()
			return err
		}
		c.CreatedAt = fromUnix(created)
		out = append(out, &c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range out {
		if err := fn(store.DumpRecord{CreatorInvitation: c}); err != nil {
			return err
		}
	}
	return nil
}

// PutCreatorInvitation records a pending invitation from a dump.
func (d *dumpWriter) PutCreatorInvitation(ctx context.Context, c *store.DumpCreatorInvitation) error {
	pid, err := d.pseudID(ctx, c.Pseud)
	if err != nil {
		return err
	}
	var uid sql.NullInt64
	if err := d.q.QueryRowContext(ctx, `SELECT user_id FROM pseuds WHERE id = ?`, pid).Scan(&uid); err != nil {
		return err
	}
	if !uid.Valid {
		return archive.Invalid("pseud", "%q is an orphan pseud and can't be invited", c.Pseud)
	}
	var one int
	err = d.q.QueryRowContext(ctx, `SELECT 1 FROM works WHERE id = ?`, c.WorkID).Scan(&one)
	if err == sql.ErrNoRows {
		return archive.Invalid("work_id", "there is no work %d (in this archive or earlier in the file)", c.WorkID)
	}
	if err != nil {
		return err
	}
	var chapter any
	if c.ChapterID != 0 {
		err := d.q.QueryRowContext(ctx, `SELECT 1 FROM chapters WHERE id = ? AND work_id = ?`, c.ChapterID, c.WorkID).Scan(&one)
		if err == sql.ErrNoRows {
			return archive.Invalid("chapter_id", "work %d has no chapter %d", c.WorkID, c.ChapterID)
		}
		if err != nil {
			return err
		}
		chapter = c.ChapterID
	}
	_, err = d.q.ExecContext(ctx, `INSERT INTO creator_invitations (work_id, pseud_id, inviter, created_at, chapter_id) VALUES (?, ?, ?, ?, ?)`,
		c.WorkID, pid, c.Inviter, unix(c.CreatedAt), chapter)
	if isUnique(err) {
		return conflict("%q is already invited to work %d", c.Pseud, c.WorkID)
	}
	if err != nil {
		return fmt.Errorf("insert creator invitation: %w", err)
	}
	return nil
}
