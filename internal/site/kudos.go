package site

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"

	"quire/internal/archive"
	"quire/internal/store"
)

// Visitor is who reads or acts, for kudos and hits: an account, or a guest
// known by the quire_guest cookie and the client address. Neither the
// cookie nor the address is stored; only a salted hash of them is.
type Visitor struct {
	User    *archive.User
	Cookie  string
	Address string
}

type visitorKey struct{}

// WithVisitor attaches the visitor to a request's context, so that
// CountHit can count one hit per visitor per work per day.
func WithVisitor(ctx context.Context, v Visitor) context.Context {
	return context.WithValue(ctx, visitorKey{}, v)
}

// VisitorFrom returns the visitor WithVisitor attached.
func VisitorFrom(ctx context.Context) (Visitor, bool) {
	v, ok := ctx.Value(visitorKey{}).(Visitor)
	return v, ok
}

// visitorHash is a salted hash of parts: the archive's salt makes it
// impossible to recover an address by hashing every address.
func (s *Site) visitorHash(ctx context.Context, parts ...string) (string, error) {
	salt, err := s.visitorSalt(ctx)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, []byte(salt))
	for _, p := range parts {
		m.Write([]byte(strconv.Itoa(len(p))))
		m.Write([]byte{':'})
		m.Write([]byte(p))
	}
	return hex.EncodeToString(m.Sum(nil)), nil
}

// Refusal is a permission refusal with its own message (HTTP 403): the
// caller may see the work but not do this to it.
type Refusal struct {
	Code    string
	Message string
}

func (r *Refusal) Error() string { return r.Message }

// Unwrap makes a Refusal an archive.ErrForbidden.
func (r *Refusal) Unwrap() error { return archive.ErrForbidden }

var (
	// ErrOwnWork refuses kudos on one's own work.
	ErrOwnWork = &Refusal{Code: "own_work", Message: "you can't leave kudos on your own work"}
	// ErrBlocked refuses a blocked user's comment, reply or kudos.
	ErrBlocked = &Refusal{Code: "blocked", Message: "the creator of this work has blocked you from commenting on it or leaving kudos"}
	// ErrKudosRepeat is a second kudos (HTTP 409).
	ErrKudosRepeat = archive.Explain(archive.ErrConflict, "you have already left kudos on this work")
)

// GiveKudos records kudos from v on a work v may see: once per account, or
// once per guest (cookie and address). Kudos on one's own work is
// ErrOwnWork, from a user the creator blocked ErrBlocked, a repeat
// ErrKudosRepeat.
func (s *Site) GiveKudos(ctx context.Context, v Visitor, workID int64) (*archive.Work, error) {
	w, err := s.Work(ctx, v.User, workID)
	if err != nil {
		return nil, err
	}
	if w.Draft {
		return nil, archive.Invalid("kudos", "a draft can't get kudos until it is posted")
	}
	k := &archive.Kudo{WorkID: w.ID, CreatedAt: s.Now().Truncate(1e9)}
	if u := v.User; u != nil {
		if w.HasCreatorUser(u.ID) {
			return nil, ErrOwnWork
		}
		if err := s.checkWriter(ctx, u); err != nil {
			return nil, err
		}
		if err := s.checkBlocked(ctx, w, u); err != nil {
			return nil, err
		}
		k.UserID = u.ID
	} else {
		k.GuestKey, err = s.visitorHash(ctx, "kudos", v.Cookie, v.Address)
		if err != nil {
			return nil, err
		}
	}
	if err := s.store.AddKudos(ctx, k); err != nil {
		if errors.Is(err, archive.ErrConflict) {
			return nil, ErrKudosRepeat
		}
		return nil, err
	}
	s.forgetKudos(w.ID)
	return s.syncCounts(ctx, w.ID)
}

// KudosGivers is who left kudos on a work u may see.
func (s *Site) KudosGivers(ctx context.Context, u *archive.User, workID int64) (store.KudosGivers, error) {
	if _, err := s.Work(ctx, u, workID); err != nil {
		return store.KudosGivers{}, err
	}
	return s.kudosGivers(ctx, workID)
}

// syncCounts reloads a work after its counters changed and puts them in
// the listing index at once, so sorting by kudos or comments reflects them.
func (s *Site) syncCounts(ctx context.Context, id int64) (*archive.Work, error) {
	s.forget(id)
	w, err := s.store.Work(ctx, id)
	if err != nil {
		return nil, err
	}
	s.Index.SetCounts(id, w.Hits, w.Kudos, w.Comments, w.Bookmarks)
	return w, nil
}

// checkBlocked refuses u when a creator of w blocked them.
func (s *Site) checkBlocked(ctx context.Context, w *archive.Work, u *archive.User) error {
	if u == nil {
		return nil
	}
	var creators []int64
	for _, c := range w.Creators {
		if c.UserID != 0 {
			creators = append(creators, c.UserID)
		}
	}
	blocked, err := s.store.IsBlocked(ctx, creators, u.ID)
	if err != nil {
		return err
	}
	if blocked {
		return ErrBlocked
	}
	return nil
}
