package site

// One-click unsubscribe from digests (RFC 8058). Each digest mail carries
// links that turn digests off without logging in: one per search in the
// body, and one for every search the mail lists in its List-Unsubscribe
// header. A link holds the reader's id and the searches' ids, signed
// (HMAC-SHA-256) with the archive's notify secret as subscriptions'
// unsubscribe links are (every node has it, from the store), so no row is
// kept per mail and a link cannot be made for another reader's searches. A link never expires; it stops doing
// anything once its searches are deleted.

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"

	"quire/internal/archive"
)

// ErrBadDigestUnsubscribe is an unsubscribe link that was altered or cut short.
var ErrBadDigestUnsubscribe = archive.Explain(archive.ErrNotFound, "this unsubscribe link is not valid: it may have been cut short when copied; open it from the e-mail again, or turn digests off on your Saved searches page")

// maxUnsubscribeSearches bounds the searches one link names (a reader has
// at most archive.MaxSavedSearches).
const maxUnsubscribeSearches = archive.MaxSavedSearches

func (s *Site) digestUnsubscribeKey(ctx context.Context) ([]byte, error) {
	secret, err := s.store.NotifySecret(ctx)
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("digest unsubscribe\x00"))
	return m.Sum(nil), nil
}

// DigestUnsubscribeToken is the signed token of a link that turns off the
// digest of searches ids of the reader uid.
func (s *Site) DigestUnsubscribeToken(ctx context.Context, uid int64, ids []int64) (string, error) {
	key, err := s.digestUnsubscribeKey(ctx)
	if err != nil {
		return "", err
	}
	parts := make([]string, 0, len(ids))
	for _, id := range ids {
		parts = append(parts, strconv.FormatInt(id, 10))
	}
	payload := strconv.FormatInt(uid, 10) + "." + strings.Join(parts, "-")
	m := hmac.New(sha256.New, key)
	m.Write([]byte(payload))
	return payload + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18]), nil
}

// readUnsubscribe checks a token and returns its reader and searches.
func (s *Site) readDigestUnsubscribe(ctx context.Context, token string) (*archive.User, []int64, error) {
	payload, sig, ok := cutLast(strings.TrimSpace(token), ".")
	if !ok || len(token) > 40+maxUnsubscribeSearches*21 {
		return nil, nil, ErrBadDigestUnsubscribe
	}
	key, err := s.digestUnsubscribeKey(ctx)
	if err != nil {
		return nil, nil, err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(payload))
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, m.Sum(nil)[:18]) {
		return nil, nil, ErrBadDigestUnsubscribe
	}
	u, list, _ := strings.Cut(payload, ".")
	uid, err := strconv.ParseInt(u, 10, 64)
	if err != nil {
		return nil, nil, ErrBadDigestUnsubscribe
	}
	var ids []int64
	for _, p := range strings.Split(list, "-") {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || len(ids) >= maxUnsubscribeSearches {
			return nil, nil, ErrBadDigestUnsubscribe
		}
		ids = append(ids, id)
	}
	user, err := s.store.UserByID(ctx, uid)
	if errors.Is(err, archive.ErrNotFound) {
		return nil, nil, ErrBadDigestUnsubscribe
	}
	if err != nil {
		return nil, nil, err
	}
	return user, ids, nil
}

func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// DigestUnsubscribe is what a digest's unsubscribe link names: the reader and those of
// its searches that still exist (deleted ones are left out).
type DigestUnsubscribe struct {
	User     *archive.User
	Searches []SavedSearch
}

// DigestUnsubscribeTarget reads a link for its confirmation page.
func (s *Site) DigestUnsubscribeTarget(ctx context.Context, token string) (*DigestUnsubscribe, error) {
	u, ids, err := s.readDigestUnsubscribe(ctx, token)
	if err != nil {
		return nil, err
	}
	out := &DigestUnsubscribe{User: u}
	for _, id := range ids {
		ss, err := s.GetSavedSearch(ctx, u, id)
		if errors.Is(err, archive.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out.Searches = append(out.Searches, *ss)
	}
	return out, nil
}

// UnsubscribeDigests turns off the digest of every search a link names
// (the one-click POST and the confirmation page's button). Doing it twice
// changes nothing.
func (s *Site) UnsubscribeDigests(ctx context.Context, token string) (*DigestUnsubscribe, error) {
	target, err := s.DigestUnsubscribeTarget(ctx, token)
	if err != nil {
		return nil, err
	}
	off := archive.DigestOff
	for i, ss := range target.Searches {
		if ss.Digest == archive.DigestOff {
			continue
		}
		v, err := s.UpdateSavedSearch(ctx, target.User, ss.ID, SavedSearchInput{Digest: &off})
		if err != nil {
			return nil, err
		}
		target.Searches[i] = *v
	}
	return target, nil
}
