package site

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/RoaringBitmap/roaring/v2"

	"quire/internal/archive"
	"quire/internal/listing"
	"quire/internal/text"
)

var pseudNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_ ]*$`)

// CleanPseudName checks a pseud name: letters, digits, underscores and
// single spaces, starting with a letter or digit, up to MaxPseudLength.
// Pseud names are unique across the archive (case-insensitively), account
// names included, since every account's default pseud is its name.
func CleanPseudName(name string) (string, error) {
	n := strings.Join(strings.Fields(text.ValidUTF8(name)), " ")
	if n == "" {
		return "", archive.Invalid("name", "can't be blank")
	}
	if c := utf8.RuneCountInString(n); c > archive.MaxPseudLength {
		return "", archive.Invalid("name", "is %d characters long; the limit is %d", c, archive.MaxPseudLength)
	}
	if !pseudNameRe.MatchString(n) {
		return "", archive.Invalid("name", "may contain only letters, digits, spaces and underscores, and must start with a letter or digit")
	}
	return n, nil
}

// CreatePseud adds a pseud to u's account.
func (s *Site) CreatePseud(ctx context.Context, u *archive.User, name string) (*archive.Pseud, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	n, err := CleanPseudName(name)
	if err != nil {
		return nil, err
	}
	if err := s.checkNameFree(ctx, u, n); err != nil {
		return nil, err
	}
	return s.store.CreatePseud(ctx, u.ID, n)
}

// UserPseud finds the account named userName and its pseud named pseudName.
func (s *Site) UserPseud(ctx context.Context, userName, pseudName string) (*archive.User, *archive.Pseud, error) {
	u, err := s.store.UserByName(ctx, userName)
	if err != nil {
		return nil, nil, err
	}
	ps, err := s.store.Pseuds(ctx, u.ID)
	if err != nil {
		return nil, nil, err
	}
	want := strings.Join(strings.Fields(pseudName), " ")
	for i := range ps {
		if strings.EqualFold(ps[i].Name, want) {
			return u, &ps[i], nil
		}
	}
	return nil, nil, fmt.Errorf("pseud %q of %s: %w", pseudName, userName, archive.ErrNotFound)
}

// ownPseud finds one of u's own pseuds that may be renamed or deleted.
func (s *Site) ownPseud(ctx context.Context, u *archive.User, name string) (*archive.Pseud, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	_, p, err := s.UserPseud(ctx, u.Name, name)
	if err != nil {
		return nil, err
	}
	if p.IsDefault {
		return nil, archive.Invalid("pseud", "%q is your default pseud, named after your account; it can't be renamed or deleted", p.Name)
	}
	return p, nil
}

// RenamePseud renames one of u's pseuds (not the default one).
func (s *Site) RenamePseud(ctx context.Context, u *archive.User, oldName, newName string) (*archive.Pseud, error) {
	p, err := s.ownPseud(ctx, u, oldName)
	if err != nil {
		return nil, err
	}
	n, err := CleanPseudName(newName)
	if err != nil {
		return nil, err
	}
	if err := s.checkNameFree(ctx, u, n); err != nil {
		return nil, err
	}
	changed, err := s.store.RenamePseud(ctx, p.ID, n)
	if err != nil {
		return nil, err
	}
	s.forgetViews() // comments show the pseud
	s.reindexAll(ctx, changed)
	p.Name = n
	return p, nil
}

// DeletePseud deletes one of u's pseuds (not the default one); its works
// and series are credited to the default pseud.
func (s *Site) DeletePseud(ctx context.Context, u *archive.User, name string) error {
	p, err := s.ownPseud(ctx, u, name)
	if err != nil {
		return err
	}
	changed, err := s.store.DeletePseud(ctx, p.ID)
	if err != nil {
		return err
	}
	s.forgetViews() // its comments now show the default pseud
	s.reindexAll(ctx, changed)
	return nil
}

func (s *Site) reindexAll(ctx context.Context, ids []int64) {
	for _, id := range ids {
		if err := s.reindex(ctx, id); err != nil {
			s.Log.Warn("reindex", "work", id, "err", err)
		}
	}
}

// PseudWorkIDs is the set of works whose byline names the pseud, as a
// listing restriction (listing.Query.TextIDs); the listing still decides
// what a viewer may see.
func (s *Site) PseudWorkIDs(ctx context.Context, p *archive.Pseud) (*roaring.Bitmap, error) {
	ids, err := s.store.WorkIDsByPseud(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	return listing.IDSet(ids), nil
}

// rebyline works out the byline of w when u credits it to the named
// pseuds: the other creators stay where they are, u's pseuds are replaced
// (at the place of u's first one). It returns nil when nothing changes.
func (s *Site) rebyline(ctx context.Context, u *archive.User, w *archive.Work, names []string) ([]int64, error) {
	if !w.HasCreatorUser(u.ID) {
		return nil, archive.Invalid("creators", "only the work's creators can choose the pseuds it is credited to")
	}
	mine, err := s.bylinePseuds(ctx, u, names)
	if err != nil {
		return nil, err
	}
	var out, old []int64
	placed := false
	for _, c := range w.Creators {
		old = append(old, c.PseudID)
		if c.UserID != u.ID {
			out = append(out, c.PseudID)
			continue
		}
		if !placed {
			out = append(out, mine...)
			placed = true
		}
	}
	if fmt.Sprint(out) == fmt.Sprint(old) {
		return nil, nil
	}
	return out, nil
}
