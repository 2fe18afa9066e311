package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// Collections, their maintainers and items, and gifts (store.Collections).

const collectionCols = `c.id, c.name, c.title, c.description_src, c.description_fmt, c.description_html,
	c.rules_src, c.rules_fmt, c.rules_html, COALESCE(c.parent_id, 0), COALESCE(p.name, ''),
	c.open, c.moderated, c.anonymous, c.unrevealed, c.created_at, c.updated_at,
	(SELECT COUNT(*) FROM collection_items i WHERE i.collection_id = c.id AND i.state = 'approved')`

const collectionFrom = ` FROM collections c LEFT JOIN collections p ON p.id = c.parent_id `

func scanCollection(row interface{ Scan(...any) error }) (*archive.Collection, error) {
	var c archive.Collection
	var df, rf string
	var created, updated int64
	if err := row.Scan(&c.ID, &c.Name, &c.Title, &c.Description.Source, &df, &c.Description.HTML,
		&c.Rules.Source, &rf, &c.Rules.HTML, &c.ParentID, &c.Parent,
		&c.Open, &c.Moderated, &c.Anonymous, &c.Unrevealed, &created, &updated, &c.Items); err != nil {
		return nil, err
	}
	c.Description.Format, c.Rules.Format = archive.Format(df), archive.Format(rf)
	c.CreatedAt, c.UpdatedAt = fromUnix(created), fromUnix(updated)
	return &c, nil
}

func (s *Store) CreateCollection(ctx context.Context, c *archive.Collection, ownerID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO collections (name, name_key, title, description_src, description_fmt, description_html,
				rules_src, rules_fmt, rules_html, parent_id, open, moderated, anonymous, unrevealed, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.Name, archive.CollectionNameKey(c.Name), c.Title, c.Description.Source, fmtOf(c.Description), c.Description.HTML,
			c.Rules.Source, fmtOf(c.Rules), c.Rules.HTML, nullID(c.ParentID), b2i(c.Open), b2i(c.Moderated), b2i(c.Anonymous), b2i(c.Unrevealed),
			unix(c.CreatedAt), unix(c.UpdatedAt)).Scan(&c.ID)
		if isUnique(err) {
			return fmt.Errorf("collection %q: %w", c.Name, archive.ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("create collection: %w", err)
		}
		if ownerID != 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO collection_maintainers (collection_id, user_id, role, created_at) VALUES (?, ?, ?, ?)`,
				c.ID, ownerID, archive.CollectionOwner, unix(c.CreatedAt)); err != nil {
				return fmt.Errorf("collection owner: %w", err)
			}
		}
		return nil
	})
}

func fmtOf(r archive.Rich) string {
	if r.Format == "" {
		return string(archive.FormatHTML)
	}
	return string(r.Format)
}

func (s *Store) UpdateCollection(ctx context.Context, c *archive.Collection) error {
	res, err := s.db.ExecContext(ctx, `UPDATE collections SET title = ?, description_src = ?, description_fmt = ?, description_html = ?,
			rules_src = ?, rules_fmt = ?, rules_html = ?, parent_id = ?, open = ?, moderated = ?, anonymous = ?, unrevealed = ?, updated_at = ?
		WHERE id = ?`, c.Title, c.Description.Source, fmtOf(c.Description), c.Description.HTML, c.Rules.Source, fmtOf(c.Rules), c.Rules.HTML,
		nullID(c.ParentID), b2i(c.Open), b2i(c.Moderated), b2i(c.Anonymous), b2i(c.Unrevealed), unix(c.UpdatedAt), c.ID)
	return affected(res, err, fmt.Sprintf("collection %d", c.ID))
}

func (s *Store) DeleteCollection(ctx context.Context, id int64) ([]int64, error) {
	var works []int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		works, err = collectInt64s(ctx, tx, `SELECT work_id FROM collection_items WHERE collection_id = ? ORDER BY work_id`, id)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM collections WHERE id = ?`, id)
		if err := affected(res, err, fmt.Sprintf("collection %d", id)); err != nil {
			return err
		}
		for _, w := range works {
			if err := refreshFTS(ctx, tx, w); err != nil && !errors.Is(err, archive.ErrNotFound) {
				return err
			}
		}
		return nil
	})
	return works, err
}

func collectInt64s(ctx context.Context, q queryer, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return scanColumn[int64](rows)
}

func (s *Store) CollectionByName(ctx context.Context, name string) (*archive.Collection, error) {
	return s.collectionWhere(ctx, `c.name_key = ?`, archive.CollectionNameKey(name))
}

func (s *Store) CollectionByID(ctx context.Context, id int64) (*archive.Collection, error) {
	return s.collectionWhere(ctx, `c.id = ?`, id)
}

func (s *Store) collectionWhere(ctx context.Context, where string, arg any) (*archive.Collection, error) {
	c, err := scanCollection(s.db.QueryRowContext(ctx, `SELECT `+collectionCols+collectionFrom+`WHERE `+where, arg))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("collection %v", arg))
	}
	if err := s.loadMaintainers(ctx, []*archive.Collection{c}); err != nil {
		return nil, err
	}
	return c, nil
}

func (s *Store) loadMaintainers(ctx context.Context, cs []*archive.Collection) error {
	if len(cs) == 0 {
		return nil
	}
	byID := map[int64]*archive.Collection{}
	ids := make([]int64, len(cs))
	for i, c := range cs {
		byID[c.ID], ids[i] = c, c.ID
	}
	rows, err := s.db.QueryContext(ctx, `SELECT m.collection_id, m.user_id, u.name, m.role FROM collection_maintainers m JOIN users u ON u.id = m.user_id
		WHERE m.collection_id IN (`+placeholders(len(ids))+`) ORDER BY m.collection_id, CASE m.role WHEN 'owner' THEN 0 ELSE 1 END, u.name_key`, int64Args(ids)...)
	if err != nil {
		return fmt.Errorf("collection maintainers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var cid int64
		var m archive.CollectionMaintainer
		if err := rows.Scan(&cid, &m.UserID, &m.UserName, &m.Role); err != nil {
			return err
		}
		byID[cid].Maintainers = append(byID[cid].Maintainers, m)
	}
	return rows.Err()
}

func (s *Store) ListCollections(ctx context.Context, q store.CollectionQuery) ([]*archive.Collection, int, error) {
	var where []string
	var args []any
	if t := strings.TrimSpace(q.Text); t != "" {
		like := "%" + escapeLike(strings.ToLower(t)) + "%"
		where = append(where, `(c.name_key LIKE ? ESCAPE '\' OR LOWER(c.title) LIKE ? ESCAPE '\')`)
		args = append(args, like, like)
	}
	if q.MaintainerID != 0 {
		where = append(where, `c.id IN (SELECT collection_id FROM collection_maintainers WHERE user_id = ?)`)
		args = append(args, q.MaintainerID)
	}
	if q.ParentID != 0 {
		where = append(where, `c.parent_id = ?`)
		args = append(args, q.ParentID)
	}
	if q.Open {
		where = append(where, `c.open = 1`)
	}
	w := ""
	if len(where) > 0 {
		w = "WHERE " + strings.Join(where, " AND ") + " "
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*)`+collectionFrom+w, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count collections: %w", err)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+collectionCols+collectionFrom+w+`ORDER BY LOWER(c.title), c.id LIMIT ? OFFSET ?`,
		append(args, limit, max(q.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list collections: %w", err)
	}
	var out []*archive.Collection
	for rows.Next() {
		c, err := scanCollection(rows)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return out, total, s.loadMaintainers(ctx, out)
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func (s *Store) CollectionTree(ctx context.Context, id int64) ([]int64, error) {
	out := []int64{id}
	seen := map[int64]bool{id: true}
	for frontier := []int64{id}; len(frontier) > 0; {
		kids, err := collectInt64s(ctx, s.db, `SELECT id FROM collections WHERE parent_id IN (`+placeholders(len(frontier))+`) ORDER BY id`, int64Args(frontier)...)
		if err != nil {
			return nil, fmt.Errorf("sub-collections of %d: %w", id, err)
		}
		frontier = frontier[:0]
		for _, k := range kids {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
				frontier = append(frontier, k)
			}
		}
	}
	return out, nil
}

func (s *Store) SetMaintainer(ctx context.Context, collectionID, userID int64, role string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		// Lock the collection's row first so two owners removing each
		// other at once leave one owner.
		if _, err := tx.ExecContext(ctx, `UPDATE collections SET updated_at = updated_at WHERE id = ?`, collectionID); err != nil {
			return fmt.Errorf("lock collection %d: %w", collectionID, err)
		}
		var err error
		if role == "" {
			var res sql.Result
			res, err = tx.ExecContext(ctx, `DELETE FROM collection_maintainers WHERE collection_id = ? AND user_id = ?`, collectionID, userID)
			err = affected(res, err, "maintainer")
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO collection_maintainers (collection_id, user_id, role, created_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (collection_id, user_id) DO UPDATE SET role = excluded.role`, collectionID, userID, role, unix(nowUTC()))
		}
		if err != nil {
			return fmt.Errorf("set maintainer: %w", err)
		}
		var owners int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM collection_maintainers WHERE collection_id = ? AND role = 'owner'`, collectionID).Scan(&owners); err != nil {
			return err
		}
		if owners == 0 {
			return archive.Invalid("maintainers", "a collection must keep at least one owner")
		}
		return nil
	})
}

func (s *Store) PutCollectionItem(ctx context.Context, collectionID, workID int64, state string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		now := unix(nowUTC())
		_, err := tx.ExecContext(ctx, `INSERT INTO collection_items (collection_id, work_id, state, anonymous, unrevealed, created_at, updated_at)
			SELECT id, ?, ?, anonymous, unrevealed, ?, ? FROM collections WHERE id = ?`, workID, state, now, now, collectionID)
		if isUnique(err) {
			return fmt.Errorf("work %d in collection %d: %w", workID, collectionID, archive.ErrConflict)
		}
		if isForeignKey(err) {
			return fmt.Errorf("work %d: %w", workID, archive.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("add collection item: %w", err)
		}
		return refreshFTS(ctx, tx, workID)
	})
}

func (s *Store) SetCollectionItemState(ctx context.Context, collectionID, workID int64, state string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE collection_items SET state = ?, updated_at = ? WHERE collection_id = ? AND work_id = ?`,
			state, unix(nowUTC()), collectionID, workID)
		if err := affected(res, err, "collection item"); err != nil {
			return err
		}
		return refreshFTS(ctx, tx, workID)
	})
}

func (s *Store) DeleteCollectionItem(ctx context.Context, collectionID, workID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM collection_items WHERE collection_id = ? AND work_id = ?`, collectionID, workID)
		if err := affected(res, err, "collection item"); err != nil {
			return err
		}
		return refreshFTS(ctx, tx, workID)
	})
}

func nowUTC() time.Time { return time.Now().UTC() }

const itemCols = `i.collection_id, c.name, c.title, i.work_id, i.state, i.anonymous, i.unrevealed, i.created_at, i.updated_at`

func scanItems(rows *sql.Rows) ([]archive.CollectionItem, error) {
	defer rows.Close()
	var out []archive.CollectionItem
	for rows.Next() {
		var it archive.CollectionItem
		var created, updated int64
		if err := rows.Scan(&it.CollectionID, &it.CollectionName, &it.CollectionTitle, &it.WorkID, &it.State, &it.Anonymous, &it.Unrevealed, &created, &updated); err != nil {
			return nil, err
		}
		it.CreatedAt, it.UpdatedAt = fromUnix(created), fromUnix(updated)
		out = append(out, it)
	}
	return out, rows.Err()
}

func (s *Store) CollectionItem(ctx context.Context, collectionID, workID int64) (*archive.CollectionItem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+itemCols+` FROM collection_items i JOIN collections c ON c.id = i.collection_id
		WHERE i.collection_id = ? AND i.work_id = ?`, collectionID, workID)
	if err != nil {
		return nil, fmt.Errorf("collection item: %w", err)
	}
	items, err := scanItems(rows)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("work %d in collection %d: %w", workID, collectionID, archive.ErrNotFound)
	}
	return &items[0], nil
}

func (s *Store) CollectionItems(ctx context.Context, collectionID int64, state string, offset, limit int) ([]archive.CollectionItem, int, error) {
	where, args := `i.collection_id = ?`, []any{collectionID}
	if state != "" {
		where += ` AND i.state = ?`
		args = append(args, state)
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM collection_items i WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count collection items: %w", err)
	}
	if limit <= 0 {
		limit = 20
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+itemCols+` FROM collection_items i JOIN collections c ON c.id = i.collection_id
		WHERE `+where+` ORDER BY i.created_at DESC, i.work_id DESC LIMIT ? OFFSET ?`, append(args, limit, max(offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("collection items: %w", err)
	}
	items, err := scanItems(rows)
	return items, total, err
}

func (s *Store) WorkCollections(ctx context.Context, workID int64) ([]archive.CollectionItem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+itemCols+` FROM collection_items i JOIN collections c ON c.id = i.collection_id
		WHERE i.work_id = ? ORDER BY c.name_key`, workID)
	if err != nil {
		return nil, fmt.Errorf("work collections: %w", err)
	}
	return scanItems(rows)
}

func (s *Store) UserCollectionItems(ctx context.Context, userID int64, state string) ([]archive.CollectionItem, error) {
	where, args := `i.work_id IN (SELECT wc.work_id FROM work_creators wc JOIN pseuds p ON p.id = wc.pseud_id WHERE p.user_id = ?)`, []any{userID}
	if state != "" {
		where += ` AND i.state = ?`
		args = append(args, state)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+itemCols+` FROM collection_items i JOIN collections c ON c.id = i.collection_id
		WHERE `+where+` ORDER BY i.created_at DESC, i.work_id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("user collection items: %w", err)
	}
	return scanItems(rows)
}

func revealSet(works, creators bool) string {
	var set []string
	if works {
		set = append(set, `unrevealed = 0`)
	}
	if creators {
		set = append(set, `anonymous = 0`)
	}
	return strings.Join(set, ", ")
}

func (s *Store) RevealCollection(ctx context.Context, collectionID int64, works, creators bool) ([]int64, error) {
	if !works && !creators {
		return nil, nil
	}
	var ids []int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		var hidden []string
		if works {
			hidden = append(hidden, `unrevealed = 1`)
		}
		if creators {
			hidden = append(hidden, `anonymous = 1`)
		}
		ids, err = collectInt64s(ctx, tx, `SELECT work_id FROM collection_items WHERE collection_id = ? AND (`+strings.Join(hidden, " OR ")+`) ORDER BY work_id`, collectionID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE collection_items SET `+revealSet(works, creators)+` WHERE collection_id = ?`, collectionID); err != nil {
			return fmt.Errorf("reveal: %w", err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE collections SET `+revealSet(works, creators)+`, updated_at = ? WHERE id = ?`, unix(nowUTC()), collectionID)
		if err := affected(res, err, fmt.Sprintf("collection %d", collectionID)); err != nil {
			return err
		}
		for _, w := range ids {
			if err := refreshFTS(ctx, tx, w); err != nil {
				return err
			}
		}
		return nil
	})
	return ids, err
}

func (s *Store) RevealItem(ctx context.Context, collectionID, workID int64, works, creators bool) error {
	if !works && !creators {
		return nil
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE collection_items SET `+revealSet(works, creators)+` WHERE collection_id = ? AND work_id = ?`, collectionID, workID)
		if err := affected(res, err, "collection item"); err != nil {
			return err
		}
		return refreshFTS(ctx, tx, workID)
	})
}

func (s *Store) MaintainsWork(ctx context.Context, userID, workID int64) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM collection_items i JOIN collection_maintainers m ON m.collection_id = i.collection_id
		WHERE i.work_id = ? AND m.user_id = ? AND i.state IN ('approved', 'pending')`, workID, userID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("maintains work: %w", err)
	}
	return n > 0, nil
}

func (s *Store) SetWorkGifts(ctx context.Context, workID int64, gifts []archive.Gift) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		return setWorkGifts(ctx, tx, workID, gifts, unix(nowUTC()))
	})
}

func setWorkGifts(ctx context.Context, tx queryer, workID int64, gifts []archive.Gift, now int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT user_id, name FROM work_gifts WHERE work_id = ? AND refused = 1 AND user_id IS NOT NULL ORDER BY position`, workID)
	if err != nil {
		return err
	}
	var refused []archive.Gift
	for rows.Next() {
		var g archive.Gift
		if err := rows.Scan(&g.UserID, &g.Name); err != nil {
			rows.Close()
			return err
		}
		refused = append(refused, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM work_gifts WHERE work_id = ?`, workID); err != nil {
		return fmt.Errorf("clear gifts: %w", err)
	}
	isRefused := map[int64]bool{}
	for _, g := range refused {
		isRefused[g.UserID] = true
	}
	pos := 0
	put := func(g archive.Gift, refused bool) error {
		pos++
		_, err := tx.ExecContext(ctx, `INSERT INTO work_gifts (work_id, position, name, user_id, refused, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			workID, pos, g.Name, nullID(g.UserID), b2i(refused), now)
		if err != nil {
			return fmt.Errorf("add gift: %w", err)
		}
		return nil
	}
	for _, g := range gifts {
		if g.UserID != 0 && isRefused[g.UserID] {
			continue
		}
		if err := put(g, false); err != nil {
			return err
		}
	}
	for _, g := range refused {
		if err := put(g, true); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) RefuseGift(ctx context.Context, workID, userID int64) error {
	res, err := s.db.ExecContext(ctx, `UPDATE work_gifts SET refused = 1 WHERE work_id = ? AND user_id = ? AND refused = 0`, workID, userID)
	return affected(res, err, fmt.Sprintf("gift of work %d", workID))
}

func (s *Store) GiftWorkIDs(ctx context.Context, userID int64) ([]int64, error) {
	return collectInt64s(ctx, s.db, `SELECT work_id FROM work_gifts WHERE user_id = ? AND refused = 0 ORDER BY work_id DESC`, userID)
}

// loadWorkExtras fills what works take from their collection items (the
// anonymous and unrevealed flags) and their gifts.
func (s *Store) loadWorkExtras(ctx context.Context, byID map[int64]*archive.Work, in string, args []any) error {
	rows, err := s.db.QueryContext(ctx, `SELECT work_id, MAX(anonymous), MAX(unrevealed) FROM collection_items
		WHERE work_id IN (`+in+`) AND state IN ('approved', 'pending') GROUP BY work_id`, args...)
	if err != nil {
		return fmt.Errorf("load work items: %w", err)
	}
	for rows.Next() {
		var wid int64
		var anon, unrev bool
		if err := rows.Scan(&wid, &anon, &unrev); err != nil {
			rows.Close()
			return err
		}
		if w := byID[wid]; w != nil {
			w.Anonymous, w.Unrevealed = anon, unrev
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = s.db.QueryContext(ctx, `SELECT work_id, name, COALESCE(user_id, 0) FROM work_gifts
		WHERE work_id IN (`+in+`) AND refused = 0 ORDER BY work_id, position`, args...)
	if err != nil {
		return fmt.Errorf("load gifts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var wid int64
		var g archive.Gift
		if err := rows.Scan(&wid, &g.Name, &g.UserID); err != nil {
			return err
		}
		if w := byID[wid]; w != nil {
			w.Gifts = append(w.Gifts, g)
		}
	}
	return rows.Err()
}

// dumpCollections streams collections (those without a parent first, each
// group by id), then every item by collection and work, then every gift
// by work and position.
func dumpCollections(ctx context.Context, q queryer, fn func(store.DumpRecord) error) error {
	rows, err := q.QueryContext(ctx, `SELECT `+collectionCols+collectionFrom+`ORDER BY CASE WHEN c.parent_id IS NULL THEN 0 ELSE 1 END, c.id`)
	if err != nil {
		return fmt.Errorf("export collections: %w", err)
	}
	var cs []*archive.Collection
	for rows.Next() {
		c, err := scanCollection(rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("export collections: %w", err)
		}
		cs = append(cs, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	mrows, err := q.QueryContext(ctx, `SELECT m.collection_id, m.user_id, u.name, m.role FROM collection_maintainers m JOIN users u ON u.id = m.user_id
		ORDER BY m.collection_id, CASE m.role WHEN 'owner' THEN 0 ELSE 1 END, u.name_key`)
	if err != nil {
		return fmt.Errorf("export maintainers: %w", err)
	}
	byID := map[int64]*archive.Collection{}
	for _, c := range cs {
		byID[c.ID] = c
	}
	for mrows.Next() {
		var cid int64
		var m archive.CollectionMaintainer
		if err := mrows.Scan(&cid, &m.UserID, &m.UserName, &m.Role); err != nil {
			mrows.Close()
			return err
		}
		if c := byID[cid]; c != nil {
			c.Maintainers = append(c.Maintainers, m)
		}
	}
	mrows.Close()
	if err := mrows.Err(); err != nil {
		return err
	}
	for _, c := range cs {
		c.Items = 0
		if err := fn(store.DumpRecord{Collection: &store.DumpCollection{Collection: *c}}); err != nil {
			return err
		}
	}
	irows, err := q.QueryContext(ctx, `SELECT `+itemCols+` FROM collection_items i JOIN collections c ON c.id = i.collection_id ORDER BY i.collection_id, i.work_id`)
	if err != nil {
		return fmt.Errorf("export collection items: %w", err)
	}
	items, err := scanItems(irows)
	if err != nil {
		return fmt.Errorf("export collection items: %w", err)
	}
	for i := range items {
		if err := fn(store.DumpRecord{CollectionItem: &items[i]}); err != nil {
			return err
		}
	}
	grows, err := q.QueryContext(ctx, `SELECT g.work_id, g.position, g.name, COALESCE(u.name, ''), g.refused, g.created_at
		FROM work_gifts g LEFT JOIN users u ON u.id = g.user_id ORDER BY g.work_id, g.position`)
	if err != nil {
		return fmt.Errorf("export gifts: %w", err)
	}
	defer grows.Close()
	for grows.Next() {
		var g store.DumpGift
		var created int64
		if err := grows.Scan(&g.WorkID, &g.Position, &g.Name, &g.User, &g.Refused, &created); err != nil {
			return err
		}
		g.CreatedAt = fromUnix(created)
		if err := fn(store.DumpRecord{Gift: &g}); err != nil {
			return err
		}
	}
	return grows.Err()
}

// PutCollection inserts a collection with its id and maintainers.
func (d *dumpWriter) PutCollection(ctx context.Context, dc *store.DumpCollection) error {
	c := &dc.Collection
	if c.ID <= 0 {
		return archive.Invalid("id", "a collection needs a positive id")
	}
	var parent int64
	if c.Parent != "" {
		if err := d.q.QueryRowContext(ctx, `SELECT id FROM collections WHERE name_key = ?`, archive.CollectionNameKey(c.Parent)).Scan(&parent); err != nil {
			return archive.Invalid("parent", "there is no collection named %q earlier in the file", c.Parent)
		}
	}
	_, err := d.q.ExecContext(ctx, `INSERT INTO collections (id, name, name_key, title, description_src, description_fmt, description_html,
			rules_src, rules_fmt, rules_html, parent_id, open, moderated, anonymous, unrevealed, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.Name, archive.CollectionNameKey(c.Name), c.Title, c.Description.Source, fmtOf(c.Description), c.Description.HTML,
		c.Rules.Source, fmtOf(c.Rules), c.Rules.HTML, nullID(parent), b2i(c.Open), b2i(c.Moderated), b2i(c.Anonymous), b2i(c.Unrevealed),
		unix(c.CreatedAt), unix(c.UpdatedAt))
	if isUnique(err) {
		return conflict("collection %d (%s) is already in this archive", c.ID, c.Name)
	}
	if err != nil {
		return fmt.Errorf("insert collection %d: %w", c.ID, err)
	}
	for _, m := range c.Maintainers {
		uid, err := d.userID(ctx, "maintainers", m.UserName)
		if err != nil {
			return err
		}
		if _, err := d.q.ExecContext(ctx, `INSERT INTO collection_maintainers (collection_id, user_id, role, created_at) VALUES (?, ?, ?, ?)`,
			c.ID, uid, m.Role, unix(c.CreatedAt)); err != nil {
			return fmt.Errorf("insert maintainer of collection %d: %w", c.ID, err)
		}
	}
	return nil
}

// PutCollectionItem inserts an item with its flags as exported.
func (d *dumpWriter) PutCollectionItem(ctx context.Context, it *archive.CollectionItem) error {
	var cid int64
	if err := d.q.QueryRowContext(ctx, `SELECT id FROM collections WHERE name_key = ?`, archive.CollectionNameKey(it.CollectionName)).Scan(&cid); err != nil {
		return archive.Invalid("collection", "there is no collection named %q earlier in the file", it.CollectionName)
	}
	_, err := d.q.ExecContext(ctx, `INSERT INTO collection_items (collection_id, work_id, state, anonymous, unrevealed, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, cid, it.WorkID, it.State, b2i(it.Anonymous), b2i(it.Unrevealed), unix(it.CreatedAt), unix(it.UpdatedAt))
	if isUnique(err) {
		return conflict("work %d is in collection %s twice", it.WorkID, it.CollectionName)
	}
	if isForeignKey(err) {
		return archive.Invalid("work_id", "there is no work %d earlier in the file", it.WorkID)
	}
	if err != nil {
		return fmt.Errorf("insert collection item: %w", err)
	}
	return refreshFTS(ctx, d.tx, it.WorkID)
}

// PutGift inserts one of a work's gifts.
func (d *dumpWriter) PutGift(ctx context.Context, g *store.DumpGift) error {
	var uid int64
	if g.User != "" {
		var err error
		if uid, err = d.userID(ctx, "user", g.User); err != nil {
			return err
		}
	}
	_, err := d.q.ExecContext(ctx, `INSERT INTO work_gifts (work_id, position, name, user_id, refused, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		g.WorkID, g.Position, g.Name, nullID(uid), b2i(g.Refused), unix(g.CreatedAt))
	if isUnique(err) {
		return conflict("work %d has gift %d twice", g.WorkID, g.Position)
	}
	if isForeignKey(err) {
		return archive.Invalid("work_id", "there is no work %d earlier in the file", g.WorkID)
	}
	if err != nil {
		return fmt.Errorf("insert gift: %w", err)
	}
	return nil
}
