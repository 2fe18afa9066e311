package site

import (
	"context"
	"errors"
	"fmt"
	"github.com/RoaringBitmap/roaring/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"quire/internal/archive"
	"quire/internal/listing"
	"quire/internal/store"
	"quire/internal/text"
)

// muteTTL bounds how long a reader's mutes are trusted from memory. Changes
// made through this process are seen at once (the entry is dropped); the
// TTL covers changes made elsewhere (another node, a deleted account).
const muteTTL = time.Minute

// muteCache keeps each reader's mutes, so a listing costs no store read.
type muteCache struct {
	mu sync.Mutex
	m  map[int64]muteEntry
}

type muteEntry struct {
	tags, users []int64
	// hidden is the works the reader hid one by one (nil: none).
	hidden *roaring.Bitmap
	loaded time.Time
}

const maxCachedMutes = 50_000

// viewer is the listing viewer for u with u's mutes: every listing, count
// and facet a reader sees goes through it.
func (s *Site) viewer(ctx context.Context, u *archive.User) (listing.Viewer, error) {
	v := ViewerOf(u)
	if u == nil {
		return v, nil
	}
	e, err := s.mutesOf(ctx, u.ID)
	if err != nil {
		return v, err
	}
	v.MutedTags, v.MutedUsers, v.Hidden = e.tags, e.users, e.hidden
	return v, nil
}

func (s *Site) mutesOf(ctx context.Context, userID int64) (muteEntry, error) {
	now := time.Now()
	s.mutes.mu.Lock()
	e, ok := s.mutes.m[userID]
	s.mutes.mu.Unlock()
	if ok && now.Sub(e.loaded) < muteTTL {
		return e, nil
	}
	tags, err := s.store.MutedTags(ctx, userID)
	if err != nil {
		return muteEntry{}, err
	}
	users, err := s.store.MutedUsers(ctx, userID)
	if err != nil {
		return muteEntry{}, err
	}
	hidden, err := s.store.ReaderWorkIDs(ctx, userID, store.SetHidden)
	if err != nil {
		return muteEntry{}, err
	}
	e = muteEntry{tags: tags, users: users, loaded: now}
	if len(hidden) > 0 {
		e.hidden = listing.IDSet(hidden)
	}
	s.mutes.mu.Lock()
	if s.mutes.m == nil || len(s.mutes.m) >= maxCachedMutes {
		s.mutes.m = map[int64]muteEntry{}
	}
	s.mutes.m[userID] = e
	s.mutes.mu.Unlock()
	return e, nil
}

// forgetMutes drops a reader's cached mutes after they change them.
func (s *Site) forgetMutes(userID int64) {
	s.mutes.mu.Lock()
	delete(s.mutes.m, userID)
	s.mutes.mu.Unlock()
}

// MutedUserIDs is the ids of the users u muted (nil for a guest): comments
// and other lists leave out what they wrote. A store failure is logged and
// mutes nobody.
func (s *Site) MutedUserIDs(ctx context.Context, u *archive.User) []int64 {
	if u == nil {
		return nil
	}
	e, err := s.mutesOf(ctx, u.ID)
	if err != nil {
		s.Log.Warn("load muted users", "user", u.ID, "err", err)
		return nil
	}
	return e.users
}

// mutedUser reports whether u muted the user with the id.
func (s *Site) mutedUser(ctx context.Context, u *archive.User, id int64) bool {
	return slices.Contains(s.MutedUserIDs(ctx, u), id)
}

// MutedTagNames lists the names of the tags u muted, sorted.
func (s *Site) MutedTagNames(ctx context.Context, u *archive.User) ([]string, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	ids, err := s.store.MutedTags(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	g := s.Index.Graph()
	out := []string{}
	for _, id := range ids {
		if n := g.Node(id); n != nil {
			out = append(out, n.Name)
		}
	}
	sortNames(out)
	return out, nil
}

// SetMutedTags replaces u's muted tags by name. Every name must be a tag
// that exists for u (as the listing filters see it); the unknown ones are
// named in one 422.
func (s *Site) SetMutedTags(ctx context.Context, u *archive.User, names []string) ([]string, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	g := s.Index.Graph()
	var ids []int64
	var unknown []string
	seen := map[string]bool{}
	for _, raw := range names {
		name, err := archive.CleanTagName(raw)
		if err != nil {
			if strings.TrimSpace(raw) == "" {
				continue
			}
			return nil, archive.Invalid("tags", "%s", err.Error())
		}
		k := archive.TagKey(name)
		if seen[k] {
			continue
		}
		seen[k] = true
		n, err := s.findTag(g, u, "", name)
		if err != nil {
			unknown = append(unknown, fmt.Sprintf("%q", name))
			continue
		}
		if !slices.Contains(ids, n.ID) {
			ids = append(ids, n.ID)
		}
	}
	if len(unknown) > 0 {
		noun := "there is no tag named "
		if len(unknown) > 1 {
			noun = "there are no tags named "
		}
		return nil, archive.Invalid("tags", "%s%s", noun, strings.Join(unknown, ", "))
	}
	if len(ids) > archive.MaxMutes {
		return nil, archive.Invalid("tags", "you may mute at most %d tags", archive.MaxMutes)
	}
	if err := s.store.SetMutedTags(ctx, u.ID, ids); err != nil {
		return nil, err
	}
	s.forgetMutes(u.ID)
	return s.MutedTagNames(ctx, u)
}

// MutedUserNames lists the names of the users u muted, sorted.
func (s *Site) MutedUserNames(ctx context.Context, u *archive.User) ([]string, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	ids, err := s.store.MutedUsers(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, id := range ids {
		m, err := s.store.UserByID(ctx, id)
		if err != nil {
			continue // deleted since
		}
		out = append(out, m.Name)
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return out, nil
}

// SetMutedUsers replaces u's muted users by account name; unknown names are
// named in one 422, and nobody can mute themselves.
func (s *Site) SetMutedUsers(ctx context.Context, u *archive.User, names []string) ([]string, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	var ids []int64
	var unknown []string
	for _, raw := range names {
		name := strings.TrimSpace(text.ValidUTF8(raw))
		if name == "" {
			continue
		}
		m, err := s.store.UserByName(ctx, name)
		if err != nil {
			if !errors.Is(err, archive.ErrNotFound) {
				return nil, err
			}
			unknown = append(unknown, fmt.Sprintf("%q", name))
			continue
		}
		if m.ID == u.ID {
			return nil, archive.Invalid("names", "you can't mute yourself")
		}
		if !slices.Contains(ids, m.ID) {
			ids = append(ids, m.ID)
		}
	}
	if len(unknown) > 0 {
		noun := "there is no user named "
		if len(unknown) > 1 {
			noun = "there are no users named "
		}
		return nil, archive.Invalid("names", "%s%s", noun, strings.Join(unknown, ", "))
	}
	if len(ids) > archive.MaxMutes {
		return nil, archive.Invalid("names", "you may mute at most %d users", archive.MaxMutes)
	}
	if err := s.store.SetMutedUsers(ctx, u.ID, ids); err != nil {
		return nil, err
	}
	s.forgetMutes(u.ID)
	return s.MutedUserNames(ctx, u)
}

// viewerOrGuest is the reader's viewer with their mutes; if the mutes can't
// be read it falls back to no mutes (counts shown beside tags, never a
// listing).
func (s *Site) viewerOrGuest(ctx context.Context, u *archive.User) listing.Viewer {
	v, err := s.viewer(ctx, u)
	if err != nil {
		s.Log.Warn("load mutes", "err", err)
		return ViewerOf(u)
	}
	return v
}
