package site

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"quire/internal/archive"
	"quire/internal/tags"
)

// FandomCount is a canonical fandom with the number of works the reader may
// see in it (by the filter rule, from the index).
type FandomCount struct {
	Name  string
	Works int
}

// Medium is one medium of the fandom directory.
type Medium struct {
	Name string
	// Fandoms are its fandoms with works the reader may see: the most
	// popular first on /media, A–Z on the medium's own page.
	Fandoms []FandomCount
	// Total is how many such fandoms it has.
	Total int
}

// mediaTopFandoms is how many fandoms /media shows under each medium.
const mediaTopFandoms = 5

// fandomsOf counts, for u, the canonical fandoms of every medium (or of
// one, when only is not ""). Fandoms with no work u may see are left out,
// so the directory says nothing about hidden, draft or restricted works.
func (s *Site) fandomsOf(ctx context.Context, u *archive.User, only string) map[string][]FandomCount {
	g := s.Index.Graph()
	byMedium := map[string][]*tags.Node{}
	var ids []int64
	g.Each(func(n *tags.Node) {
		if n.Type == archive.TypeFandom && n.Canonical && n.Media != "" && (only == "" || n.Media == only) {
			byMedium[n.Media] = append(byMedium[n.Media], n)
			ids = append(ids, n.ID)
		}
	})
	counts := s.Index.TagWorkCounts(ids, s.viewerOrGuest(ctx, u))
	out := map[string][]FandomCount{}
	for m, ns := range byMedium {
		for _, n := range ns {
			if c := counts[n.ID]; c > 0 {
				out[m] = append(out[m], FandomCount{Name: n.Name, Works: c})
			}
		}
	}
	return out
}

// MediaDirectory is /media: every medium with its most popular fandoms.
func (s *Site) MediaDirectory(ctx context.Context, u *archive.User) []Medium {
	all := s.fandomsOf(ctx, u, "")
	out := make([]Medium, 0, len(archive.Media))
	for _, m := range archive.Media {
		fs := all[m]
		slices.SortFunc(fs, func(a, b FandomCount) int {
			if a.Works != b.Works {
				return b.Works - a.Works
			}
			return compareNames(a.Name, b.Name)
		})
		out = append(out, Medium{Name: m, Fandoms: fs[:min(len(fs), mediaTopFandoms)], Total: len(fs)})
	}
	return out
}

// MediumFandoms is /media/{name}/fandoms: the medium's fandoms A–Z. An
// unknown medium is archive.ErrNotFound.
func (s *Site) MediumFandoms(ctx context.Context, u *archive.User, name string) (*Medium, error) {
	m, ok := archive.MediumNamed(name)
	if !ok {
		return nil, fmt.Errorf("medium %q: %w", name, archive.ErrNotFound)
	}
	fs := s.fandomsOf(ctx, u, m)[m]
	slices.SortFunc(fs, func(a, b FandomCount) int { return compareNames(a.Name, b.Name) })
	return &Medium{Name: m, Fandoms: fs, Total: len(fs)}, nil
}

func compareNames(a, b string) int {
	if c := strings.Compare(archive.TagKey(a), archive.TagKey(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// IndexLetter is the letter a fandom is filed under in the A–Z index:
// its first letter, upper case; "#" for a digit or anything else.
func IndexLetter(name string) string {
	for _, r := range name {
		if unicode.IsLetter(r) {
			return strings.ToUpper(string(r))
		}
		return "#"
	}
	return "#"
}
