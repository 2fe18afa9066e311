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

// Prompt memes' prompts, claims and fills (store.PromptMemes).

func (s *Store) AddMemePrompt(ctx context.Context, p *archive.Prompt) error {
	p.Kind, p.SignupID = archive.PromptPrompt, 0
	return s.tx(ctx, func(tx *sql.Tx) error {
		err := insertPrompt(ctx, tx, p)
		if isForeignKey(err) {
			return fmt.Errorf("prompt: %w", archive.ErrNotFound)
		}
		return err
	})
}

func (s *Store) UpdateMemePrompt(ctx context.Context, p *archive.Prompt) error {
	var anyTypes []string
	for _, t := range p.Any {
		anyTypes = append(anyTypes, string(t))
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE challenge_prompts SET title = ?, details_src = ?, details_fmt = ?, details_html = ?,
				url = ?, any_types = ?, anonymous = ?, updated_at = ? WHERE id = ? AND kind = 'prompt'`,
			p.Title, p.Details.Source, fmtOf(p.Details), p.Details.HTML, p.URL, strings.Join(anyTypes, " "), b2i(p.Anonymous),
			unix(p.UpdatedAt), p.ID)
		if err := affected(res, err, fmt.Sprintf("prompt %d", p.ID)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM challenge_prompt_tags WHERE prompt_id = ?`, p.ID); err != nil {
			return fmt.Errorf("replace prompt tags: %w", err)
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
	})
}

func (s *Store) DeleteMemePrompt(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM challenge_prompts WHERE id = ? AND kind = 'prompt'`, id)
	return affected(res, err, fmt.Sprintf("prompt %d", id))
}

func (s *Store) MemePrompts(ctx context.Context, collectionID int64) ([]*archive.Prompt, error) {
	out, err := s.promptsWhere(ctx, `p.collection_id = ? AND p.kind = 'prompt'`, collectionID)
	if err != nil {
		return nil, err
	}
	// promptsWhere orders by sign-up and position; a meme's are by id.
	sortPromptsByID(out)
	return out, nil
}

func sortPromptsByID(ps []*archive.Prompt) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].ID < ps[j-1].ID; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

func (s *Store) AddClaim(ctx context.Context, c *archive.Claim) error {
	err := s.db.QueryRowContext(ctx, `INSERT INTO prompt_claims (prompt_id, collection_id, user_id, work_id, filled_at, created_at)
		SELECT p.id, p.collection_id, ?, ?, ?, ? FROM challenge_prompts p WHERE p.id = ? AND p.kind = 'prompt' RETURNING id, collection_id`,
		c.UserID, nullID(c.WorkID), nullUnix(c.FilledAt), unix(c.CreatedAt), c.PromptID).Scan(&c.ID, &c.CollectionID)
	switch {
	case err == sql.ErrNoRows:
		return fmt.Errorf("prompt %d: %w", c.PromptID, archive.ErrNotFound)
	case isUnique(err):
		return fmt.Errorf("claim on prompt %d: %w", c.PromptID, archive.ErrConflict)
	case isForeignKey(err):
		return fmt.Errorf("claim: %w", archive.ErrNotFound)
	case err != nil:
		return fmt.Errorf("insert claim: %w", err)
	}
	return nil
}

func (s *Store) DeleteClaim(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM prompt_claims WHERE id = ?`, id)
	return affected(res, err, fmt.Sprintf("claim %d", id))
}

const claimCols = `c.id, c.prompt_id, c.collection_id, c.user_id, u.name, COALESCE(c.work_id, 0), c.filled_at, c.created_at`
const claimFrom = ` FROM prompt_claims c JOIN users u ON u.id = c.user_id `

func claimsWhere(ctx context.Context, q queryer, where, order string, args ...any) ([]archive.Claim, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+claimCols+claimFrom+`WHERE `+where+` ORDER BY `+order, args...)
	if err != nil {
		return nil, fmt.Errorf("claims: %w", err)
	}
	defer rows.Close()
	out := []archive.Claim{}
	for rows.Next() {
		var c archive.Claim
		var filled sql.NullInt64
		var created int64
		if err := rows.Scan(&c.ID, &c.PromptID, &c.CollectionID, &c.UserID, &c.UserName, &c.WorkID, &filled, &created); err != nil {
			return nil, err
		}
		c.FilledAt, c.CreatedAt = fromUnix(filled.Int64), fromUnix(created)
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *Store) Claim(ctx context.Context, id int64) (*archive.Claim, error) {
	out, err := claimsWhere(ctx, s.db, `c.id = ?`, `c.id`, id)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("claim %d: %w", id, archive.ErrNotFound)
	}
	return &out[0], nil
}

func (s *Store) CollectionClaims(ctx context.Context, collectionID int64) ([]archive.Claim, error) {
	return claimsWhere(ctx, s.db, `c.collection_id = ?`, `c.id`, collectionID)
}

func (s *Store) UserClaims(ctx context.Context, userID int64) ([]archive.Claim, error) {
	return claimsWhere(ctx, s.db, `c.user_id = ?`, `c.id DESC`, userID)
}

func (s *Store) WorkClaims(ctx context.Context, workID int64) ([]archive.Claim, error) {
	return claimsWhere(ctx, s.db, `c.work_id = ?`, `c.id`, workID)
}

func (s *Store) SetWorkFills(ctx context.Context, workID int64, claimIDs []int64, at time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		want := map[int64]bool{}
		for _, id := range claimIDs {
			want[id] = true
		}
		cur, err := claimsWhere(ctx, tx, `c.work_id = ?`, `c.id`, workID)
		if err != nil {
			return err
		}
		for _, c := range cur {
			if want[c.ID] {
				delete(want, c.ID) // filled by this work already
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE prompt_claims SET work_id = NULL, filled_at = NULL WHERE id = ?`, c.ID); err != nil {
				return fmt.Errorf("unfill claim: %w", err)
			}
		}
		for _, id := range claimIDs {
			if !want[id] {
				continue
			}
			delete(want, id)
			res, err := tx.ExecContext(ctx, `UPDATE prompt_claims SET work_id = ?, filled_at = ? WHERE id = ? AND work_id IS NULL`, workID, unix(at), id)
			if err != nil {
				return fmt.Errorf("fill claim: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				var exists int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM prompt_claims WHERE id = ?`, id).Scan(&exists); err != nil {
					return err
				}
				if exists == 0 {
					return fmt.Errorf("claim %d: %w", id, archive.ErrNotFound)
				}
				return fmt.Errorf("claim %d is filled by another work: %w", id, archive.ErrConflict)
			}
		}
		return nil
	})
}

// dumpPromptMemes exports the prompt memes' prompts, then their claims,
// each by id.
func dumpPromptMemes(ctx context.Context, q queryer, fn func(store.DumpRecord) error) error {
	prompts, err := promptsWhere(ctx, q, `p.kind = 'prompt'`)
	if err != nil {
		return err
	}
	sortPromptsByID(prompts)
	names := map[int64]string{}
	for _, p := range prompts {
		name, ok := names[p.CollectionID]
		if !ok {
			if err := q.QueryRowContext(ctx, `SELECT name FROM collections WHERE id = ?`, p.CollectionID).Scan(&name); err != nil {
				return fmt.Errorf("export prompt %d: %w", p.ID, err)
			}
			names[p.CollectionID] = name
		}
		if err := fn(store.DumpRecord{MemePrompt: &store.DumpMemePrompt{Collection: name, Prompt: *p}}); err != nil {
			return err
		}
	}
	claims, err := claimsWhere(ctx, q, `1 = 1`, `c.id`)
	if err != nil {
		return err
	}
	for i := range claims {
		if err := fn(store.DumpRecord{Claim: &claims[i]}); err != nil {
			return err
		}
	}
	return nil
}

func (d *dumpWriter) PutMemePrompt(ctx context.Context, dp *store.DumpMemePrompt) error {
	cid, err := d.collectionIDByName(ctx, dp.Collection)
	if err != nil {
		return err
	}
	p := dp.Prompt
	p.CollectionID, p.SignupID, p.Kind = cid, 0, archive.PromptPrompt
	p.UserID = 0
	if p.UserName != "" {
		if p.UserID, err = d.userID(ctx, "user", p.UserName); err != nil {
			return err
		}
	}
	return insertPromptWithID(ctx, d.tx, &p)
}

func (d *dumpWriter) PutClaim(ctx context.Context, c *archive.Claim) error {
	uid, err := d.userID(ctx, "user", c.UserName)
	if err != nil {
		return err
	}
	_, err = d.q.ExecContext(ctx, `INSERT INTO prompt_claims (id, prompt_id, collection_id, user_id, work_id, filled_at, created_at)
		SELECT ?, p.id, p.collection_id, ?, ?, ?, ? FROM challenge_prompts p WHERE p.id = ?`,
		c.ID, uid, nullID(c.WorkID), nullUnix(c.FilledAt), unix(c.CreatedAt), c.PromptID)
	if isUnique(err) {
		return conflict("claim %d (or %s's second claim on prompt %d)", c.ID, c.UserName, c.PromptID)
	}
	if isForeignKey(err) {
		return archive.Invalid("claim", "claim %d names a work not earlier in the file", c.ID)
	}
	if err != nil {
		return fmt.Errorf("insert claim: %w", err)
	}
	var n int
	if err := d.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM prompt_claims WHERE id = ?`, c.ID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return archive.Invalid("claim", "claim %d names prompt %d, not earlier in the file", c.ID, c.PromptID)
	}
	return nil
}
