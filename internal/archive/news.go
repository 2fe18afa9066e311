package archive

import (
	"strings"
	"time"
	"unicode/utf8"

	"quire/internal/text"
)

// Limits of the archive's news (AO3's admin posts) and site banner.
const (
	// MaxNewsTitle is AO3's title limit, as for works.
	MaxNewsTitle = MaxTitleLength
	// MaxNewsBody bounds a news post's body as submitted, in code points,
	// as AO3 bounds its admin posts by the chapter limit.
	MaxNewsBody = MaxChapterLength
	// MaxBannerLength bounds the banner's text (what readers see, in
	// characters): a banner is a line or two, not an article.
	MaxBannerLength = 2000
	// MaxBannerSource bounds the banner as submitted, markup included.
	MaxBannerSource = 20_000
)

// NewsPost is one of the archive's news posts, written by an admin.
// AuthorID is 0 and Author "" once the account is gone.
type NewsPost struct {
	ID        int64
	Title     string
	Body      Rich
	AuthorID  int64
	Author    string
	Comments  int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// NewsComment is a logged-in reader's comment on a news post. UserID is 0
// and UserName "" once the account is gone.
type NewsComment struct {
	ID        int64
	PostID    int64
	UserID    int64
	UserName  string
	Body      Rich
	CreatedAt time.Time
}

// Banner is the site banner: Version grows with every change, so a
// reader's dismissal (which names the version) hides only the banner they
// saw. An empty Text means there is no banner.
type Banner struct {
	Version   int64
	Text      Rich
	UpdatedAt time.Time
}

// Active reports whether there is a banner to show.
func (b Banner) Active() bool { return b.Text.HTML != "" }

// PrepareNewsPost validates a news post and renders its body.
func PrepareNewsPost(title, body, format string) (string, Rich, error) {
	t, err := CleanTitle("title", title, true, MaxNewsTitle)
	if err != nil {
		return "", Rich{}, err
	}
	if strings.TrimSpace(body) == "" {
		return "", Rich{}, Invalid("body", "can't be blank")
	}
	body = text.ValidUTF8(body)
	if n := utf8.RuneCountInString(body); n > MaxNewsBody {
		return "", Rich{}, Invalid("body", "is %d characters long; the limit is %d", n, MaxNewsBody)
	}
	r, err := render("body", body, Format(format), 0)
	if err != nil {
		return "", Rich{}, err
	}
	if r.IsEmpty() || strings.TrimSpace(text.PlainText(r.HTML)) == "" && !strings.Contains(r.HTML, "<img") {
		return "", Rich{}, Invalid("body", "has no text once unsafe markup is removed")
	}
	return t, r, nil
}

// PrepareBanner validates and renders the banner's text; blank text is an
// empty Rich (no banner).
func PrepareBanner(src, format string) (Rich, error) {
	if strings.TrimSpace(src) == "" {
		return Rich{}, nil
	}
	src = text.ValidUTF8(src)
	if n := utf8.RuneCountInString(src); n > MaxBannerSource {
		return Rich{}, Invalid("text", "is %d characters long with its markup; the limit is %d", n, MaxBannerSource)
	}
	r, err := render("text", src, Format(format), MaxBannerLength)
	if err != nil {
		return Rich{}, err
	}
	if strings.TrimSpace(text.PlainText(r.HTML)) == "" {
		return Rich{}, Invalid("text", "has no text once unsafe markup is removed")
	}
	return r, nil
}
