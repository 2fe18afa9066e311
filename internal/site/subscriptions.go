package site

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// SubscriptionView is a subscription with what it names.
type SubscriptionView struct {
	*store.Subscription
	Name string // the work's title, the creator's name, the series' id
	URL  string // the page it names, relative to the site
}

// SubscriptionTarget is what the API and pages send: a kind and, for works
// and series, an id, for creators a user name (or id).
type SubscriptionTarget struct {
	Kind   string
	Target string
}

func parseTargetID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || id <= 0 {
		return 0, archive.Invalid("target", "must be an id")
	}
	return id, nil
}

// resolveTarget finds the target's id. With forSubscribe, the target must be
// something u may see and subscribe to.
func (s *Site) resolveTarget(ctx context.Context, u *archive.User, in SubscriptionTarget, forSubscribe bool) (kind string, id int64, name string, err error) {
	kind = strings.ToLower(strings.TrimSpace(in.Kind))
	switch kind {
	case store.SubWork:
		if id, err = parseTargetID(in.Target); err != nil {
			return "", 0, "", archive.Invalid("target", "must be a work id")
		}
		if !forSubscribe {
			return kind, id, "", nil
		}
		w, err := s.Work(ctx, u, id)
		if err != nil {
			return "", 0, "", err
		}
		if w.Draft {
			return "", 0, "", archive.Invalid("target", "a draft can't be subscribed to")
		}
		if w.HasCreatorUser(u.ID) {
			return "", 0, "", archive.Invalid("target", "you can't subscribe to your own work")
		}
		return kind, id, w.Title, nil
	case store.SubUser:
		name := strings.TrimSpace(in.Target)
		if name == "" {
			return "", 0, "", archive.Invalid("target", "must be a user name")
		}
		t, err := s.store.UserByName(ctx, name)
		if errors.Is(err, archive.ErrNotFound) {
			if n, perr := strconv.ParseInt(name, 10, 64); perr == nil && n > 0 {
				t, err = s.store.UserByID(ctx, n)
			}
		}
		if err != nil {
			return "", 0, "", err
		}
		if forSubscribe && t.ID == u.ID {
			return "", 0, "", archive.Invalid("target", "you can't subscribe to yourself")
		}
		return kind, t.ID, t.Name, nil
	case store.SubSeries:
		if id, err = parseTargetID(in.Target); err != nil {
			return "", 0, "", archive.Invalid("target", "must be a series id")
		}
		if !forSubscribe {
			return kind, id, "", nil
		}
		sv, err := s.Series(ctx, u, id) // not found unless u may see it
		if err != nil {
			return "", 0, "", err
		}
		return kind, id, sv.Title, nil
	}
	return "", 0, "", archive.Invalid("kind", "must be work, series or user")
}

// Subscribe subscribes u to a work, a series or a creator. A second
// subscription to the same target is archive.ErrConflict; an unknown target
// (or one u may not see) archive.ErrNotFound.
func (s *Site) Subscribe(ctx context.Context, u *archive.User, in SubscriptionTarget) (*SubscriptionView, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	kind, id, name, err := s.resolveTarget(ctx, u, in, true)
	if err != nil {
		return nil, err
	}
	sub := &store.Subscription{UserID: u.ID, Kind: kind, Target: id, CreatedAt: s.Now().Truncate(time.Second)}
	if err := s.store.Subscribe(ctx, sub); err != nil {
		if errors.Is(err, archive.ErrConflict) {
			return nil, archive.Explain(archive.ErrConflict, "you are already subscribed to this %s", kind)
		}
		return nil, err
	}
	return &SubscriptionView{Subscription: sub, Name: name, URL: subscriptionURL(kind, id, name)}, nil
}

// Unsubscribe removes u's subscription (archive.ErrNotFound when none).
func (s *Site) Unsubscribe(ctx context.Context, u *archive.User, in SubscriptionTarget) error {
	if u == nil {
		return archive.ErrAuth
	}
	kind, id, _, err := s.resolveTarget(ctx, u, in, false)
	if err != nil {
		return err
	}
	return s.store.Unsubscribe(ctx, u.ID, kind, id)
}

// IsSubscribed reports whether u subscribed to the work.
func (s *Site) IsSubscribed(ctx context.Context, u *archive.User, kind string, target int64) bool {
	if u == nil {
		return false
	}
	_, err := s.store.SubscriptionOf(ctx, u.ID, kind, target)
	return err == nil
}

// Subscriptions lists u's subscriptions, newest first, with what they name.
func (s *Site) Subscriptions(ctx context.Context, u *archive.User) ([]*SubscriptionView, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	subs, err := s.store.SubscriptionsByUser(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	out := make([]*SubscriptionView, 0, len(subs))
	for _, sub := range subs {
		out = append(out, s.describe(ctx, sub))
	}
	return out, nil
}

// describe names what a subscription is to, without revealing a work the
// owner may no longer see.
func (s *Site) describe(ctx context.Context, sub *store.Subscription) *SubscriptionView {
	v := &SubscriptionView{Subscription: sub}
	switch sub.Kind {
	case store.SubWork:
		v.Name = "a work you can no longer see"
		if w, err := s.store.Work(ctx, sub.Target); err == nil {
			if owner, err := s.store.UserByID(ctx, sub.UserID); err == nil && CanView(owner, w) {
				v.Name = w.Title
				v.URL = subscriptionURL(sub.Kind, sub.Target, w.Title)
			}
		}
	case store.SubUser:
		v.Name = "a deleted account"
		if t, err := s.store.UserByID(ctx, sub.Target); err == nil {
			v.Name = t.Name
			v.URL = subscriptionURL(sub.Kind, sub.Target, t.Name)
		}
	default:
		v.Name = "series " + strconv.FormatInt(sub.Target, 10)
		if rec, err := s.store.SeriesByID(ctx, sub.Target); err == nil {
			v.Name = rec.Title
		}
		v.URL = subscriptionURL(sub.Kind, sub.Target, "")
	}
	return v
}

// TargetString is a subscription's target as the API shows it: a user's
// name, else the id.
func (v *SubscriptionView) TargetString() string {
	if v.Kind == store.SubUser && v.URL != "" {
		return v.Name
	}
	return strconv.FormatInt(v.Target, 10)
}

func subscriptionURL(kind string, id int64, name string) string {
	switch kind {
	case store.SubWork:
		return "/works/" + strconv.FormatInt(id, 10)
	case store.SubUser:
		return "/users/" + name
	case store.SubSeries:
		return "/series/" + strconv.FormatInt(id, 10)
	}
	return ""
}

// Unsubscribe tokens: "<subscription id>.<HMAC>", the HMAC (SHA-256, keyed
// by the archive's notify secret) over the id, the subscriber, the kind and
// the target, so a token works for exactly one subscription, needs no login,
// and can't be forged or moved to another subscription.

func (s *Site) unsubscribeMAC(ctx context.Context, sub *store.Subscription) (string, error) {
	secret, err := s.store.NotifySecret(ctx)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "unsubscribe\x00%d\x00%d\x00%s\x00%d", sub.ID, sub.UserID, sub.Kind, sub.Target)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)), nil
}

// UnsubscribeToken is the signed token of a subscription's unsubscribe link.
func (s *Site) UnsubscribeToken(ctx context.Context, sub *store.Subscription) (string, error) {
	mac, err := s.unsubscribeMAC(ctx, sub)
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(sub.ID, 10) + "." + mac, nil
}

// UnsubscribeURL is the absolute unsubscribe link of a subscription.
func (s *Site) UnsubscribeURL(ctx context.Context, sub *store.Subscription) (string, error) {
	tok, err := s.UnsubscribeToken(ctx, sub)
	if err != nil {
		return "", err
	}
	return s.BaseURL + "/unsubscribe/" + tok, nil
}

// SubscriptionByToken resolves an unsubscribe token: archive.ErrNotFound
// when it is malformed, forged, or its subscription is gone.
func (s *Site) SubscriptionByToken(ctx context.Context, token string) (*SubscriptionView, error) {
	idPart, mac, ok := strings.Cut(token, ".")
	id, err := strconv.ParseInt(idPart, 10, 64)
	if !ok || err != nil || id <= 0 || mac == "" {
		return nil, fmt.Errorf("unsubscribe link: %w", archive.ErrNotFound)
	}
	sub, err := s.store.Subscription(ctx, id)
	if err != nil {
		return nil, err
	}
	want, err := s.unsubscribeMAC(ctx, sub)
	if err != nil {
		return nil, err
	}
	if !hmac.Equal([]byte(want), []byte(mac)) {
		return nil, fmt.Errorf("unsubscribe link: %w", archive.ErrNotFound)
	}
	return s.describe(ctx, sub), nil
}

// UnsubscribeByToken removes the subscription a valid token names.
func (s *Site) UnsubscribeByToken(ctx context.Context, token string) (*SubscriptionView, error) {
	v, err := s.SubscriptionByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	if err := s.store.Unsubscribe(ctx, v.UserID, v.Kind, v.Target); err != nil {
		return nil, err
	}
	return v, nil
}
