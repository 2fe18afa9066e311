package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// Challenges, sign-ups, prompts and assignments (store.Challenges).

func (s *Store) PutChallenge(ctx context.Context, c *archive.Challenge) error {
	settings, err := json.Marshal(c.Settings)
	if err != nil {
		return fmt.Errorf("challenge settings: %w", err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO challenges (collection_id, kind, signups_open_at, signups_close_at, settings, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (collection_id) DO UPDATE SET kind = excluded.kind, signups_open_at = excluded.signups_open_at,
			signups_close_at = excluded.signups_close_at, settings = excluded.settings, updated_at = excluded.updated_at`,
		c.CollectionID, c.Kind, nullUnix(c.SignupsOpenAt), nullUnix(c.SignupsCloseAt), string(settings), unix(c.CreatedAt), unix(c.UpdatedAt))
	if isForeignKey(err) {
		return fmt.Errorf("challenge of collection %d: %w", c.CollectionID, archive.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("put challenge: %w", err)
	}
	return nil
}

func (s *Store) Challenge(ctx context.Context, collectionID int64) (*archive.Challenge, error) {
	return challengeQ(ctx, s.db, collectionID)
}

func challengeQ(ctx context.Context, q queryer, collectionID int64) (*archive.Challenge, error) {
	var c archive.Challenge
	var open, close, matched, sent sql.NullInt64
	var settings string
	var created, updated int64
	err := q.QueryRowContext(ctx, `SELECT collection_id, kind, signups_open_at, signups_close_at, settings, matched_at, sent_at, created_at, updated_at
		FROM challenges WHERE collection_id = ?`, collectionID).Scan(&c.CollectionID, &c.Kind, &open, &close, &settings, &matched, &sent, &created, &updated)
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("challenge of collection %d", collectionID))
	}
	if err := json.Unmarshal([]byte(settings), &c.Settings); err != nil {
		return nil, fmt.Errorf("challenge %d settings: %w", collectionID, err)
	}
	c.SignupsOpenAt, c.SignupsCloseAt = fromUnix(open.Int64), fromUnix(close.Int64)
	c.MatchedAt, c.SentAt = fromUnix(matched.Int64), fromUnix(sent.Int64)
	c.CreatedAt, c.UpdatedAt = fromUnix(created), fromUnix(updated)
	return &c, nil
}

func (s *Store) SaveSignup(ctx context.Context, su *archive.Signup) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM challenge_signups WHERE collection_id = ? AND user_id = ?`, su.CollectionID, su.UserID).Scan(&id)
		switch {
		case err == sql.ErrNoRows:
			err = tx.QueryRowContext(ctx, `INSERT INTO challenge_signups (collection_id, user_id, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`,
				su.CollectionID, su.UserID, unix(su.CreatedAt), unix(su.UpdatedAt)).Scan(&id)
			if isForeignKey(err) {
				return fmt.Errorf("sign-up: %w", archive.ErrNotFound)
			}
			if err != nil {
				return fmt.Errorf("insert sign-up: %w", err)
			}
		case err != nil:
			return fmt.Errorf("sign-up: %w", err)
		default:
			if _, err := tx.ExecContext(ctx, `UPDATE challenge_signups SET updated_at = ? WHERE id = ?`, unix(su.UpdatedAt), id); err != nil {
				return fmt.Errorf("update sign-up: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM challenge_prompts WHERE signup_id = ?`, id); err != nil {
				return fmt.Errorf("replace sign-up prompts: %w", err)
			}
		}
		su.ID = id
		for _, list := range [][]archive.Prompt{su.Requests, su.Offers} {
			for i := range list {
				p := &list[i]
				p.CollectionID, p.SignupID, p.UserID, p.Position = su.CollectionID, id, su.UserID, i
				if p.CreatedAt.IsZero() {
					p.CreatedAt, p.UpdatedAt = su.UpdatedAt, su.UpdatedAt
				}
				if err := insertPrompt(ctx, tx, p); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// insertPrompt writes a prompt and its tags and sets p.ID.
func insertPrompt(ctx context.Context, tx *sql.Tx, p *archive.Prompt) error {
	var anyTypes []string
	for _, t := range p.Any {
		anyTypes = append(anyTypes, string(t))
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO challenge_prompts (collection_id, signup_id, user_id, kind, position, title,
			details_src, details_fmt, details_html, url, any_types, anonymous, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.CollectionID, nullID(p.SignupID), nullID(p.UserID), p.Kind, p.Position, p.Title,
		p.Details.Source, fmtOf(p.Details), p.Details.HTML, p.URL, strings.Join(anyTypes, " "), b2i(p.Anonymous),
		unix(p.CreatedAt), unix(p.UpdatedAt)).Scan(&p.ID)
	if err != nil {
		return fmt.Errorf("insert prompt: %w", err)
	}
	for _, t := range archive.ChallengeTagTypes {
		for pos, name := range p.Tags[t] {
			if _, err := tx.ExecContext(ctx, `INSERT INTO challenge_prompt_tags (prompt_id, type, position, name, name_key) VALUES (?, ?, ?, ?, ?)`,
				p.ID, string(t), pos, name, archive.TagKey(name)); err != nil {
				return fmt.Errorf("insert prompt tag: %w", err)
			}
		}
	}
	return nil
}

func (s *Store) DeleteSignup(ctx context.Context, collectionID, userID int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM challenge_signups WHERE collection_id = ? AND user_id = ?`, collectionID, userID)
	return affected(res, err, fmt.Sprintf("sign-up of user %d to collection %d", userID, collectionID))
}

const signupCols = `s.id, s.collection_id, s.user_id, u.name, s.created_at, s.updated_at`
const signupFrom = ` FROM challenge_signups s JOIN users u ON u.id = s.user_id `

func (s *Store) signupsWhere(ctx context.Context, where string, args ...any) ([]*archive.Signup, error) {
	return signupsWhere(ctx, s.db, where, args...)
}

func signupsWhere(ctx context.Context, q queryer, where string, args ...any) ([]*archive.Signup, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+signupCols+signupFrom+`WHERE `+where+` ORDER BY s.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sign-ups: %w", err)
	}
	defer rows.Close()
	var out []*archive.Signup
	byID := map[int64]*archive.Signup{}
	for rows.Next() {
		var su archive.Signup
		var created, updated int64
		if err := rows.Scan(&su.ID, &su.CollectionID, &su.UserID, &su.UserName, &created, &updated); err != nil {
			return nil, err
		}
		su.CreatedAt, su.UpdatedAt = fromUnix(created), fromUnix(updated)
		out = append(out, &su)
		byID[su.ID] = &su
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	// The prompts of these sign-ups: one query for them, one for tags.
	var pq string
	var pargs []any
	if len(out) == 1 {
		pq, pargs = `p.signup_id = ?`, []any{out[0].ID}
	} else {
		pq, pargs = `p.collection_id = ? AND p.signup_id IS NOT NULL`, []any{out[0].CollectionID}
	}
	prompts, err := promptsWhere(ctx, q, pq, pargs...)
	if err != nil {
		return nil, err
	}
	for _, p := range prompts {
		su := byID[p.SignupID]
		if su == nil {
			continue
		}
		if p.Kind == archive.PromptOffer {
			su.Offers = append(su.Offers, *p)
		} else {
			su.Requests = append(su.Requests, *p)
		}
	}
	return out, nil
}

func (s *Store) promptsWhere(ctx context.Context, where string, args ...any) ([]*archive.Prompt, error) {
	return promptsWhere(ctx, s.db, where, args...)
}

func promptsWhere(ctx context.Context, q queryer, where string, args ...any) ([]*archive.Prompt, error) {
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.collection_id, COALESCE(p.signup_id, 0), COALESCE(p.user_id, 0), COALESCE(u.name, ''),
			p.kind, p.position, p.title, p.details_src, p.details_fmt, p.details_html, p.url, p.any_types, p.anonymous, p.created_at, p.updated_at
		FROM challenge_prompts p LEFT JOIN users u ON u.id = p.user_id WHERE `+where+` ORDER BY p.signup_id, p.kind DESC, p.position, p.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("prompts: %w", err)
	}
	defer rows.Close()
	var out []*archive.Prompt
	byID := map[int64]*archive.Prompt{}
	for rows.Next() {
		var p archive.Prompt
		var df, anyTypes string
		var created, updated int64
		if err := rows.Scan(&p.ID, &p.CollectionID, &p.SignupID, &p.UserID, &p.UserName, &p.Kind, &p.Position, &p.Title,
			&p.Details.Source, &df, &p.Details.HTML, &p.URL, &anyTypes, &p.Anonymous, &created, &updated); err != nil {
			return nil, err
		}
		p.Details.Format = archive.Format(df)
		for _, t := range strings.Fields(anyTypes) {
			p.Any = append(p.Any, archive.TagType(t))
		}
		p.Tags = map[archive.TagType][]string{}
		p.CreatedAt, p.UpdatedAt = fromUnix(created), fromUnix(updated)
		out = append(out, &p)
		byID[p.ID] = &p
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	trows, err := q.QueryContext(ctx, `SELECT t.prompt_id, t.type, t.name FROM challenge_prompt_tags t JOIN challenge_prompts p ON p.id = t.prompt_id
		WHERE `+where+` ORDER BY t.prompt_id, t.type, t.position`, args...)
	if err != nil {
		return nil, fmt.Errorf("prompt tags: %w", err)
	}
	defer trows.Close()
	for trows.Next() {
		var id int64
		var typ, name string
		if err := trows.Scan(&id, &typ, &name); err != nil {
			return nil, err
		}
		if p := byID[id]; p != nil {
			p.Tags[archive.TagType(typ)] = append(p.Tags[archive.TagType(typ)], name)
		}
	}
	return out, trows.Err()
}

func (s *Store) Signup(ctx context.Context, id int64) (*archive.Signup, error) {
	return s.oneSignup(ctx, `s.id = ?`, id)
}

func (s *Store) SignupOf(ctx context.Context, collectionID, userID int64) (*archive.Signup, error) {
	return s.oneSignup(ctx, `s.collection_id = ? AND s.user_id = ?`, collectionID, userID)
}

func (s *Store) oneSignup(ctx context.Context, where string, args ...any) (*archive.Signup, error) {
	out, err := s.signupsWhere(ctx, where, args...)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("sign-up: %w", archive.ErrNotFound)
	}
	return out[0], nil
}

func (s *Store) Signups(ctx context.Context, collectionID int64) ([]*archive.Signup, error) {
	return s.signupsWhere(ctx, `s.collection_id = ?`, collectionID)
}

func (s *Store) Prompt(ctx context.Context, id int64) (*archive.Prompt, error) {
	out, err := s.promptsWhere(ctx, `p.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("prompt %d: %w", id, archive.ErrNotFound)
	}
	return out[0], nil
}

func (s *Store) SaveMatching(ctx context.Context, collectionID int64, as []archive.Assignment, at time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE challenges SET matched_at = ?, updated_at = ? WHERE collection_id = ? AND matched_at IS NULL`,
			unix(at), unix(at), collectionID)
		if err != nil {
			return fmt.Errorf("mark matched: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := s.challengeTx(ctx, tx, collectionID); err != nil {
				return err
			}
			return fmt.Errorf("challenge of collection %d was matched already: %w", collectionID, archive.ErrConflict)
		}
		for i := range as {
			a := &as[i]
			a.CollectionID = collectionID
			a.CreatedAt, a.UpdatedAt = at, at
			if err := tx.QueryRowContext(ctx, `INSERT INTO challenge_assignments (collection_id, recipient_id, giver_id, request_id, offer_id, pinch_hit,
					sent_at, defaulted_at, fulfilled_work_id, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				collectionID, a.RecipientID, nullID(a.GiverID), nullID(a.RequestID), nullID(a.OfferID), b2i(a.PinchHit),
				nullUnix(a.SentAt), nullUnix(a.DefaultedAt), nullID(a.FulfilledBy), unix(a.CreatedAt), unix(a.UpdatedAt)).Scan(&a.ID); err != nil {
				return fmt.Errorf("insert assignment: %w", err)
			}
		}
		return nil
	})
}

func (s *Store) challengeTx(ctx context.Context, tx *sql.Tx, collectionID int64) (int64, error) {
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT collection_id FROM challenges WHERE collection_id = ?`, collectionID).Scan(&id); err != nil {
		return 0, notFound(err, fmt.Sprintf("challenge of collection %d", collectionID))
	}
	return id, nil
}

const assignmentCols = `a.id, a.collection_id, a.recipient_id, r.name, COALESCE(a.giver_id, 0), COALESCE(g.name, ''),
	COALESCE(a.request_id, 0), COALESCE(a.offer_id, 0), a.pinch_hit, a.sent_at, a.defaulted_at, COALESCE(a.fulfilled_work_id, 0), a.created_at, a.updated_at`
const assignmentFrom = ` FROM challenge_assignments a JOIN users r ON r.id = a.recipient_id LEFT JOIN users g ON g.id = a.giver_id `

func (s *Store) assignmentsWhere(ctx context.Context, q queryer, where, order string, args ...any) ([]archive.Assignment, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+assignmentCols+assignmentFrom+`WHERE `+where+` ORDER BY `+order, args...)
	if err != nil {
		return nil, fmt.Errorf("assignments: %w", err)
	}
	defer rows.Close()
	var out []archive.Assignment
	for rows.Next() {
		var a archive.Assignment
		var sent, defaulted sql.NullInt64
		var created, updated int64
		if err := rows.Scan(&a.ID, &a.CollectionID, &a.RecipientID, &a.Recipient, &a.GiverID, &a.Giver, &a.RequestID, &a.OfferID, &a.PinchHit,
			&sent, &defaulted, &a.FulfilledBy, &created, &updated); err != nil {
			return nil, err
		}
		a.SentAt, a.DefaultedAt = fromUnix(sent.Int64), fromUnix(defaulted.Int64)
		a.CreatedAt, a.UpdatedAt = fromUnix(created), fromUnix(updated)
		out = append(out, a)
	}
	return out, rows.Err()
}

func (s *Store) Assignments(ctx context.Context, collectionID int64) ([]archive.Assignment, error) {
	return s.assignmentsWhere(ctx, s.db, `a.collection_id = ?`, `r.name_key, a.id`, collectionID)
}

func (s *Store) Assignment(ctx context.Context, id int64) (*archive.Assignment, error) {
	out, err := s.assignmentsWhere(ctx, s.db, `a.id = ?`, `a.id`, id)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("assignment %d: %w", id, archive.ErrNotFound)
	}
	return &out[0], nil
}

func (s *Store) UpdateAssignment(ctx context.Context, a *archive.Assignment) error {
	res, err := s.db.ExecContext(ctx, `UPDATE challenge_assignments SET giver_id = ?, request_id = ?, offer_id = ?, pinch_hit = ?, sent_at = ?,
			defaulted_at = ?, fulfilled_work_id = ?, updated_at = ? WHERE id = ?`,
		nullID(a.GiverID), nullID(a.RequestID), nullID(a.OfferID), b2i(a.PinchHit), nullUnix(a.SentAt), nullUnix(a.DefaultedAt), nullID(a.FulfilledBy),
		unix(a.UpdatedAt), a.ID)
	return affected(res, err, fmt.Sprintf("assignment %d", a.ID))
}

func (s *Store) MarkAssignmentsSent(ctx context.Context, collectionID int64, at time.Time) ([]archive.Assignment, error) {
	var out []archive.Assignment
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.challengeTx(ctx, tx, collectionID); err != nil {
			return err
		}
		var err error
		out, err = s.assignmentsWhere(ctx, tx, `a.collection_id = ? AND a.sent_at IS NULL AND a.giver_id IS NOT NULL`, `a.id`, collectionID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE challenge_assignments SET sent_at = ?, updated_at = ?
			WHERE collection_id = ? AND sent_at IS NULL AND giver_id IS NOT NULL`, unix(at), unix(at), collectionID); err != nil {
			return fmt.Errorf("mark sent: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE challenges SET sent_at = ?, updated_at = ? WHERE collection_id = ?`, unix(at), unix(at), collectionID); err != nil {
			return fmt.Errorf("mark challenge sent: %w", err)
		}
		for i := range out {
			out[i].SentAt, out[i].UpdatedAt = at, at
		}
		return nil
	})
	return out, err
}

func (s *Store) GiverAssignments(ctx context.Context, userID int64) ([]archive.Assignment, error) {
	return s.assignmentsWhere(ctx, s.db, `a.giver_id = ?`, `a.id DESC`, userID)
}

func (s *Store) RemoveSignup(ctx context.Context, collectionID, userID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM challenge_assignments
			WHERE collection_id = ? AND (recipient_id = ? OR giver_id = ?) AND fulfilled_work_id IS NOT NULL`,
			collectionID, userID, userID).Scan(&n); err != nil {
			return fmt.Errorf("remove sign-up: %w", err)
		}
		if n > 0 {
			return fmt.Errorf("%d of their assignments are fulfilled: %w", n, archive.ErrConflict)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM challenge_signups WHERE collection_id = ? AND user_id = ?`, collectionID, userID)
		if err := affected(res, err, fmt.Sprintf("sign-up of user %d to collection %d", userID, collectionID)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM challenge_assignments WHERE collection_id = ? AND recipient_id = ?`, collectionID, userID); err != nil {
			return fmt.Errorf("remove sign-up's assignment: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE challenge_assignments SET giver_id = NULL, offer_id = NULL, sent_at = NULL,
				defaulted_at = NULL, pinch_hit = 0 WHERE collection_id = ? AND giver_id = ?`, collectionID, userID); err != nil {
			return fmt.Errorf("clear sign-up's giving: %w", err)
		}
		return nil
	})
}

func (s *Store) AddPinchHitter(ctx context.Context, collectionID, userID int64, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO challenge_pinch_hitters (collection_id, user_id, created_at) VALUES (?, ?, ?)`,
		collectionID, userID, unix(at))
	if isUnique(err) {
		return conflict("user %d is on the pinch-hit list already", userID)
	}
	if err != nil {
		return fmt.Errorf("add pinch-hitter: %w", err)
	}
	return nil
}

func (s *Store) RemovePinchHitter(ctx context.Context, collectionID, userID int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM challenge_pinch_hitters WHERE collection_id = ? AND user_id = ?`, collectionID, userID)
	return affected(res, err, fmt.Sprintf("pinch-hitter %d of collection %d", userID, collectionID))
}

func (s *Store) PinchHitters(ctx context.Context, collectionID int64) ([]archive.PinchHitter, error) {
	return pinchHittersQ(ctx, s.db, collectionID)
}

func pinchHittersQ(ctx context.Context, q queryer, collectionID int64) ([]archive.PinchHitter, error) {
	rows, err := q.QueryContext(ctx, `SELECT p.user_id, u.name, p.created_at FROM challenge_pinch_hitters p JOIN users u ON u.id = p.user_id
		WHERE p.collection_id = ? ORDER BY u.name_key, p.user_id`, collectionID)
	if err != nil {
		return nil, fmt.Errorf("pinch-hitters: %w", err)
	}
	defer rows.Close()
	out := []archive.PinchHitter{}
	for rows.Next() {
		var p archive.PinchHitter
		var at int64
		if err := rows.Scan(&p.UserID, &p.Name, &at); err != nil {
			return nil, err
		}
		p.CreatedAt = fromUnix(at)
		out = append(out, p)
	}
	return out, rows.Err()
}

// dumpChallenges exports every challenge, then the sign-ups, then the
// assignments, each by collection and id.
func dumpChallenges(ctx context.Context, q queryer, fn func(store.DumpRecord) error) error {
	rows, err := q.QueryContext(ctx, `SELECT c.name, h.collection_id FROM challenges h JOIN collections c ON c.id = h.collection_id ORDER BY h.collection_id`)
	if err != nil {
		return fmt.Errorf("export challenges: %w", err)
	}
	type coll struct {
		name string
		id   int64
	}
	var colls []coll
	for rows.Next() {
		var c coll
		if err := rows.Scan(&c.name, &c.id); err != nil {
			rows.Close()
			return err
		}
		colls = append(colls, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range colls {
		ch, err := challengeQ(ctx, q, c.id)
		if err != nil {
			return err
		}
		if err := fn(store.DumpRecord{Challenge: &store.DumpChallenge{Collection: c.name, Challenge: *ch}}); err != nil {
			return err
		}
	}
	for _, c := range colls {
		sus, err := signupsWhere(ctx, q, `s.collection_id = ?`, c.id)
		if err != nil {
			return err
		}
		for _, su := range sus {
			if err := fn(store.DumpRecord{Signup: &store.DumpSignup{Collection: c.name, Signup: *su}}); err != nil {
				return err
			}
		}
	}
	for _, c := range colls {
		as, err := (*Store)(nil).assignmentsWhere(ctx, q, `a.collection_id = ?`, `a.id`, c.id)
		if err != nil {
			return err
		}
		for i := range as {
			if err := fn(store.DumpRecord{Assignment: &store.DumpAssignment{Collection: c.name, Assignment: as[i]}}); err != nil {
				return err
			}
		}
	}
	for _, c := range colls {
		ps, err := pinchHittersQ(ctx, q, c.id)
		if err != nil {
			return err
		}
		for i := range ps {
			if err := fn(store.DumpRecord{PinchHitter: &store.DumpPinchHitter{Collection: c.name, PinchHitter: ps[i]}}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (d *dumpWriter) PutPinchHitter(ctx context.Context, dp *store.DumpPinchHitter) error {
	cid, err := d.collectionIDByName(ctx, dp.Collection)
	if err != nil {
		return err
	}
	uid, err := d.userID(ctx, "user", dp.PinchHitter.Name)
	if err != nil {
		return err
	}
	_, err = d.q.ExecContext(ctx, `INSERT INTO challenge_pinch_hitters (collection_id, user_id, created_at) VALUES (?, ?, ?)`,
		cid, uid, unix(dp.PinchHitter.CreatedAt))
	if isUnique(err) {
		return conflict("pinch-hitter %s twice in %s", dp.PinchHitter.Name, dp.Collection)
	}
	if err != nil {
		return fmt.Errorf("insert pinch-hitter: %w", err)
	}
	return nil
}

func (d *dumpWriter) collectionIDByName(ctx context.Context, name string) (int64, error) {
	var cid int64
	if err := d.q.QueryRowContext(ctx, `SELECT id FROM collections WHERE name_key = ?`, archive.CollectionNameKey(name)).Scan(&cid); err != nil {
		return 0, archive.Invalid("collection", "there is no collection named %q earlier in the file", name)
	}
	return cid, nil
}

func (d *dumpWriter) PutChallenge(ctx context.Context, dc *store.DumpChallenge) error {
	cid, err := d.collectionIDByName(ctx, dc.Collection)
	if err != nil {
		return err
	}
	c := &dc.Challenge
	settings, err := json.Marshal(c.Settings)
	if err != nil {
		return err
	}
	_, err = d.q.ExecContext(ctx, `INSERT INTO challenges (collection_id, kind, signups_open_at, signups_close_at, settings, matched_at, sent_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, cid, c.Kind, nullUnix(c.SignupsOpenAt), nullUnix(c.SignupsCloseAt), string(settings),
		nullUnix(c.MatchedAt), nullUnix(c.SentAt), unix(c.CreatedAt), unix(c.UpdatedAt))
	if isUnique(err) {
		return conflict("collection %s has two challenges", dc.Collection)
	}
	if err != nil {
		return fmt.Errorf("insert challenge: %w", err)
	}
	return nil
}

func (d *dumpWriter) PutSignup(ctx context.Context, ds *store.DumpSignup) error {
	cid, err := d.collectionIDByName(ctx, ds.Collection)
	if err != nil {
		return err
	}
	su := &ds.Signup
	uid, err := d.userID(ctx, "user", su.UserName)
	if err != nil {
		return err
	}
	_, err = d.q.ExecContext(ctx, `INSERT INTO challenge_signups (id, collection_id, user_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
		su.ID, cid, uid, unix(su.CreatedAt), unix(su.UpdatedAt))
	if isUnique(err) {
		return conflict("sign-up %d (or %s's second sign-up to %s)", su.ID, su.UserName, ds.Collection)
	}
	if err != nil {
		return fmt.Errorf("insert sign-up: %w", err)
	}
	for _, list := range [][]archive.Prompt{su.Requests, su.Offers} {
		for i := range list {
			p := list[i]
			p.CollectionID, p.SignupID, p.UserID = cid, su.ID, uid
			if err := insertPromptWithID(ctx, d.tx, &p); err != nil {
				return err
			}
		}
	}
	return nil
}

// insertPromptWithID writes a prompt keeping its id (an import).
func insertPromptWithID(ctx context.Context, tx *sql.Tx, p *archive.Prompt) error {
	var anyTypes []string
	for _, t := range p.Any {
		anyTypes = append(anyTypes, string(t))
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO challenge_prompts (id, collection_id, signup_id, user_id, kind, position, title,
			details_src, details_fmt, details_html, url, any_types, anonymous, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.CollectionID, nullID(p.SignupID), nullID(p.UserID), p.Kind, p.Position, p.Title,
		p.Details.Source, fmtOf(p.Details), p.Details.HTML, p.URL, strings.Join(anyTypes, " "), b2i(p.Anonymous),
		unix(p.CreatedAt), unix(p.UpdatedAt))
	if isUnique(err) {
		return conflict("prompt %d twice", p.ID)
	}
	if err != nil {
		return fmt.Errorf("insert prompt: %w", err)
	}
	for _, t := range archive.ChallengeTagTypes {
		for pos, name := range p.Tags[t] {
			if _, err := tx.ExecContext(ctx, `INSERT INTO challenge_prompt_tags (prompt_id, type, position, name, name_key) VALUES (?, ?, ?, ?, ?)`,
				p.ID, string(t), pos, name, archive.TagKey(name)); err != nil {
				return fmt.Errorf("insert prompt tag: %w", err)
			}
		}
	}
	return nil
}

func (d *dumpWriter) PutAssignment(ctx context.Context, da *store.DumpAssignment) error {
	cid, err := d.collectionIDByName(ctx, da.Collection)
	if err != nil {
		return err
	}
	a := &da.Assignment
	rid, err := d.userID(ctx, "recipient", a.Recipient)
	if err != nil {
		return err
	}
	var gid int64
	if a.Giver != "" {
		if gid, err = d.userID(ctx, "giver", a.Giver); err != nil {
			return err
		}
	}
	_, err = d.q.ExecContext(ctx, `INSERT INTO challenge_assignments (id, collection_id, recipient_id, giver_id, request_id, offer_id, pinch_hit,
			sent_at, defaulted_at, fulfilled_work_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, cid, rid, nullID(gid), nullID(a.RequestID), nullID(a.OfferID), b2i(a.PinchHit), nullUnix(a.SentAt), nullUnix(a.DefaultedAt),
		nullID(a.FulfilledBy), unix(a.CreatedAt), unix(a.UpdatedAt))
	if isUnique(err) {
		return conflict("assignment %d (or a second one for %s in %s)", a.ID, a.Recipient, da.Collection)
	}
	if isForeignKey(err) {
		return archive.Invalid("assignment", "assignment %d names a request or work not earlier in the file", a.ID)
	}
	if err != nil {
		return fmt.Errorf("insert assignment: %w", err)
	}
	return nil
}
