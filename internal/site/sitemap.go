package site

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"quire/internal/archive"
)

// The sitemap lists what a guest may read: public works (the listing
// index's answer, so never a draft, hidden or restricted work) and their
// posted chapters. Works go in files of PerFile works in id order; chapters
// in files by chapter id range (file n holds ids (n-1)*PerFile+1 to
// n*PerFile), so no file can pass PerFile URLs.

// SitemapPerFile is the sitemaps.org limit of URLs in one file.
const SitemapPerFile = 50_000

// SitemapURL is one URL of a sitemap file: a path and its last change.
type SitemapURL struct {
	Path    string
	Updated time.Time
}

// SitemapFiles says which files the sitemap index names: works files 1 to
// works, and the chapter files listed (those with a chapter to list).
func (s *Site) SitemapFiles(ctx context.Context, perFile int) (works int, chapters []int, err error) {
	_, total := s.Index.PublicWorks(0, 0)
	works = (total + perFile - 1) / perFile
	last := -1
	err = s.store.EachPostedChapter(ctx, func(id, workID int64) error {
		n := int((id-1)/int64(perFile)) + 1
		if n != last && s.Index.IsPublic(workID) {
			chapters = append(chapters, n)
			last = n
		}
		return nil
	})
	return works, chapters, err
}

// SitemapWorks is works file n (1-based): archive.ErrNotFound past the end.
func (s *Site) SitemapWorks(ctx context.Context, n, perFile int) ([]SitemapURL, error) {
	if n < 1 {
		return nil, fmt.Errorf("sitemap works file %d: %w", n, archive.ErrNotFound)
	}
	ws, _ := s.Index.PublicWorks((n-1)*perFile, perFile)
	if len(ws) == 0 && n > 1 {
		return nil, fmt.Errorf("sitemap works file %d: %w", n, archive.ErrNotFound)
	}
	out := make([]SitemapURL, 0, len(ws))
	for _, w := range ws {
		out = append(out, SitemapURL{Path: "/works/" + strconv.FormatInt(w.ID, 10), Updated: time.Unix(w.Updated, 0).UTC()})
	}
	return out, nil
}

// SitemapChapters is chapters file n (1-based): the posted chapters of
// public works with ids in its range.
func (s *Site) SitemapChapters(ctx context.Context, n, perFile int) ([]SitemapURL, error) {
	if n < 1 {
		return nil, fmt.Errorf("sitemap chapters file %d: %w", n, archive.ErrNotFound)
	}
	from := int64(n-1)*int64(perFile) + 1
	cs, err := s.store.PostedChapters(ctx, from, from+int64(perFile)-1)
	if err != nil {
		return nil, err
	}
	out := make([]SitemapURL, 0, len(cs))
	for _, c := range cs {
		if s.Index.IsPublic(c.WorkID) {
			out = append(out, SitemapURL{Path: "/works/" + strconv.FormatInt(c.WorkID, 10) + "/chapters/" + strconv.FormatInt(c.ID, 10), Updated: c.UpdatedAt})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("sitemap chapters file %d: %w", n, archive.ErrNotFound)
	}
	return out, nil
}
