// Package efiction imports an eFiction 3.x archive from a MySQL dump file
// (`quire import --format efiction`): authors become accounts (without
// passwords: their owners claim them through the password-reset mail),
// stories works, chapters chapters, reviews comments, series series, and
// the old viewstory.php/viewuser.php/viewseries.php URLs redirects. The
// whole dump goes through store.Dumps.ImportDump, so it lands in one
// transaction or not at all, with new ids that never collide with the
// archive's own rows. Rows that cannot become what they should (a story
// whose author row is missing, a story with no chapters) are left out and
// named in the report, since every real rescued archive has some;
// Options.Strict refuses the whole dump instead.
package efiction

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"quire/internal/archive"
	"quire/internal/store"
	"quire/internal/text"
)

// Options tunes an import.
type Options struct {
	DryRun bool
	// Charset is "auto" (UTF-8 when the file is valid UTF-8, else
	// Windows-1252, which covers latin1), "utf8" or "latin1".
	Charset string
	// TablePrefix is the tables' prefix ("fanfiction_"); nil finds it.
	TablePrefix *string
	// RatingMap maps eFiction rating names (any case) to Quire ratings,
	// before the built-in table.
	RatingMap map[string]string
	// URLPrefix is the path the eFiction site lived under ("/fanfiction"),
	// for its redirects; "" is the site root.
	URLPrefix string
	// Fandom is the fandom of stories with no category.
	Fandom string
	// Language is the works' language (eFiction records none).
	Language string
	// StoriesDir holds chapter files (STORIESDIR/uid/chapid.txt) for a
	// site that kept chapters in files rather than in the database.
	StoriesDir string
	// Now is what "in the future" is measured against.
	Now func() time.Time
	// Progress, when set, gets a line per stage.
	Progress io.Writer
	// Strict refuses the whole dump at the first row that cannot be
	// imported (a story without chapters, an author row missing). Without
	// it such rows are skipped, each named in Report.Skipped, and the rest
	// lands.
	Strict bool
}

// Report says what an import made.
type Report struct {
	Users, Works, Drafts, Chapters, Series, Comments, Redirects int
	// SkippedReviews are reviews not imported (blank, or of a series).
	SkippedReviews int
	// Renamed are accounts whose pen name was taken or not a valid
	// account name ("pen name → account").
	Renamed []string
	// NoEmail are accounts given a placeholder address (none, invalid or
	// taken): they can't claim their account by mail until an admin sets
	// one.
	NoEmail []string
	// Ratings lists how each eFiction rating was mapped.
	Ratings []string
	// Skipped names each row left out and why ("story 7 (Title): it has
	// no chapters"), in the order met; empty under Options.Strict, which
	// refuses the dump instead.
	Skipped []string
}

func (r Report) String() string {
	s := fmt.Sprintf("%d users, %d works (%d drafts), %d chapters, %d series, %d comments, %d redirects",
		r.Users, r.Works, r.Drafts, r.Chapters, r.Series, r.Comments, r.Redirects)
	if r.SkippedReviews > 0 {
		s += fmt.Sprintf(", %d reviews skipped", r.SkippedReviews)
	}
	if len(r.Skipped) > 0 {
		s += fmt.Sprintf(", %d rows skipped", len(r.Skipped))
	}
	return s
}

// Decode turns the dump's bytes into UTF-8.
func Decode(data []byte, charset string) (string, error) {
	// A byte-order mark says UTF-8 and is no part of the text.
	if b, ok := bytes.CutPrefix(data, []byte("\xef\xbb\xbf")); ok {
		data = b
		if charset == "" || strings.EqualFold(charset, "auto") {
			charset = "utf8"
		}
	}
	switch strings.ToLower(charset) {
	case "", "auto":
		if utf8.Valid(data) {
			return string(data), nil
		}
		fallthrough
	case "latin1", "cp1252", "windows-1252", "iso-8859-1":
		out, err := charmap.Windows1252.NewDecoder().Bytes(data)
		return string(out), err
	case "utf8", "utf-8", "utf8mb4":
		return text.ValidUTF8(string(data)), nil
	}
	return "", fmt.Errorf("charset %q: expected auto, utf8 or latin1", charset)
}

// ReadFile reads and parses a dump file.
func ReadFile(path, charset string) (*Dump, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	src, err := Decode(data, charset)
	if err != nil {
		return nil, err
	}
	return ParseDump(src)
}

// eFiction's tables, without prefix; the first three are required.
var required = []string{"authors", "stories", "chapters"}

// prefix finds the tables' prefix: the one under which authors, stories
// and chapters all exist.
func (d *Dump) prefix() (string, error) {
	var found []string
	for n := range d.Tables {
		if p, ok := strings.CutSuffix(n, "stories"); ok && d.Tables[p+"authors"] != nil && d.Tables[p+"chapters"] != nil {
			found = append(found, p)
		}
	}
	sort.Strings(found)
	switch len(found) {
	case 0:
		return "", errors.New("the dump has no eFiction tables (authors, stories and chapters, with any prefix)")
	case 1:
		return found[0], nil
	}
	return "", fmt.Errorf("the dump holds several eFiction archives (table prefixes %q); choose one with --table-prefix", found)
}

// Import reads an eFiction dump into the archive in one transaction.
func Import(ctx context.Context, st store.Dumps, d *Dump, opts Options) (Report, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Language == "" {
		opts.Language = "en"
	}
	if opts.Fandom == "" {
		opts.Fandom = "Unspecified Fandom"
	}
	var prefix string
	if opts.TablePrefix != nil {
		prefix = strings.ToLower(*opts.TablePrefix)
		for _, t := range required {
			if d.Tables[prefix+t] == nil {
				return Report{}, fmt.Errorf("the dump has no table %s%s", prefix, t)
			}
		}
	} else {
		p, err := d.prefix()
		if err != nil {
			return Report{}, err
		}
		prefix = p
	}
	c := &converter{d: d, prefix: prefix, opts: opts, now: opts.Now().UTC().Truncate(time.Second)}
	if err := c.checkUniqueIDs(); err != nil {
		return Report{}, err
	}
	if err := c.load(); err != nil {
		return Report{}, err
	}
	var rep Report
	err := st.ImportDump(ctx, opts.DryRun, func(w store.DumpWriter) error {
		c.w = w
		c.rep = Report{Ratings: c.rep.Ratings, Skipped: append([]string(nil), c.skipped...)}
		return c.run(ctx)
	})
	rep = c.rep
	if err != nil {
		return Report{}, err
	}
	return rep, nil
}

// converter holds one import's state.
type converter struct {
	d      *Dump
	prefix string
	opts   Options
	now    time.Time
	w      store.DumpWriter
	rep    Report
	// skipped are the rows left out before the transaction (duplicate ids).
	skipped []string

	categories map[int64]Row
	characters map[int64]Row
	ratings    map[int64]string // rid → Quire rating
	classes    map[int64]Row
	classTypes map[int64]string // classtype_id → lower-case name
	coauthors  map[int64][]int64

	users    map[int64]*author // uid → account
	works    map[int64]*store.DumpWork
	chapters map[int64]int64 // eFiction chapid → chapter id
	// places are, per story, the chapter=N of each imported chapter in
	// the old site's links (skipped chapters keep their numbers).
	places map[int64][]int64
	series map[int64]int64 // eFiction seriesid → series id
}

type author struct {
	name, pseud string
}

func (c *converter) table(name string) []Row {
	if t := c.d.Tables[c.prefix+name]; t != nil {
		return t.Rows
	}
	return nil
}

func (c *converter) progress(format string, args ...any) {
	if c.opts.Progress != nil {
		fmt.Fprintf(c.opts.Progress, "efiction: "+format+"\n", args...)
	}
}

// idColumns names the id column of each table the import reads.
var idColumns = []struct{ table, col string }{
	{"authors", "uid"}, {"stories", "sid"}, {"chapters", "chapid"}, {"series", "seriesid"}, {"reviews", "reviewid"},
	{"categories", "catid"}, {"characters", "charid"}, {"classes", "class_id"}, {"classtypes", "classtype_id"}, {"ratings", "rid"},
}

// checkUniqueIDs finds rows of a table that share an id (two stories
// with sid 7, say): the import would otherwise keep one and drop the
// other without a word. Under Strict the dump is refused, the error
// naming every such id with the rows that hold it, so the operator can
// repair the dump; otherwise the first row of each id is kept and every
// later one is left out of the import and named in the report.
func (c *converter) checkUniqueIDs() error {
	var problems []string
	for _, ic := range idColumns {
		t := c.d.Tables[c.prefix+ic.table]
		if t == nil {
			continue
		}
		rows := t.Rows
		at := map[int64][]int{}
		var order []int64
		for i, r := range rows {
			id := r.Int(ic.col)
			if id <= 0 {
				continue
			}
			if len(at[id]) == 1 {
				order = append(order, id)
			}
			at[id] = append(at[id], i+1)
		}
		if len(order) == 0 {
			continue
		}
		if !c.opts.Strict {
			drop := map[int]bool{}
			for _, id := range order {
				for _, n := range at[id][1:] {
					drop[n] = true
					c.skipped = append(c.skipped, fmt.Sprintf("%s%s row %d: %s %d is row %d's too; the first was kept", c.prefix, ic.table, n, ic.col, id, at[id][0]))
				}
			}
			kept := make([]Row, 0, len(rows)-len(drop))
			for i, r := range rows {
				if !drop[i+1] {
					kept = append(kept, r)
				}
			}
			// A copy: the parsed dump stays as it was read.
			c.d = c.d.withRows(c.prefix+ic.table, kept)
			continue
		}
		var each []string
		for i, id := range order {
			if i == 10 {
				each = append(each, fmt.Sprintf("and %d more", len(order)-10))
				break
			}
			rs := make([]string, len(at[id]))
			for j, n := range at[id] {
				rs[j] = strconv.Itoa(n)
			}
			each = append(each, fmt.Sprintf("%s %d in rows %s", ic.col, id, strings.Join(rs, ", ")))
		}
		problems = append(problems, fmt.Sprintf("%s%s: %s", c.prefix, ic.table, strings.Join(each, "; ")))
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("the dump has rows that share an id, and only one of each could be imported: %s (rows counted from 1 in the order of the dump); remove or renumber the extra rows and import again",
		strings.Join(problems, "; "))
}

// skip leaves a row out of the import and says why in the report; under
// Strict it refuses the whole dump instead.
func (c *converter) skip(err error) error {
	if c.opts.Strict {
		return err
	}
	c.rep.Skipped = append(c.rep.Skipped, err.Error())
	return nil
}

// load indexes the lookup tables and maps the ratings.
func (c *converter) load() error {
	byID := func(table, col string) map[int64]Row {
		m := map[int64]Row{}
		for _, r := range c.table(table) {
			m[r.Int(col)] = r
		}
		return m
	}
	c.categories = byID("categories", "catid")
	c.characters = byID("characters", "charid")
	c.classes = byID("classes", "class_id")
	c.classTypes = map[int64]string{}
	for _, r := range c.table("classtypes") {
		c.classTypes[r.Int("classtype_id")] = strings.ToLower(r.Str("classtype_name") + " " + r.Str("classtype_title"))
	}
	c.coauthors = map[int64][]int64{}
	for _, r := range c.table("coauthors") {
		c.coauthors[r.Int("sid")] = append(c.coauthors[r.Int("sid")], r.Int("uid"))
	}
	userMap := map[string]string{}
	for k, v := range c.opts.RatingMap {
		userMap[strings.ToLower(strings.TrimSpace(k))] = v
	}
	c.ratings = map[int64]string{}
	rows := c.table("ratings")
	sort.Slice(rows, func(i, j int) bool { return rows[i].Int("rid") < rows[j].Int("rid") })
	for _, r := range rows {
		name := plain(r.Str("rating"))
		q, ok := userMap[strings.ToLower(name)]
		how := "--rating-map"
		if !ok {
			q, how = MapRating(name), "built in"
		}
		if !validRating(q) {
			return fmt.Errorf("--rating-map: %q is not a rating (%s)", q, strings.Join(archive.Ratings, ", "))
		}
		c.ratings[r.Int("rid")] = q
		c.rep.Ratings = append(c.rep.Ratings, fmt.Sprintf("%s → %s (%s)", name, q, how))
	}
	return nil
}

func validRating(r string) bool {
	for _, v := range archive.Ratings {
		if v == r {
			return true
		}
	}
	return false
}

// ratingWords is the built-in rating table: the usual scales (MPAA, the
// FanFiction.net letters, the UK FR scale) by lower-case name.
var ratingWords = map[string]string{
	"g": archive.RatingGeneral, "k": archive.RatingGeneral, "all ages": archive.RatingGeneral, "general": archive.RatingGeneral,
	"general audiences": archive.RatingGeneral, "everyone": archive.RatingGeneral, "frc": archive.RatingGeneral, "fr7": archive.RatingGeneral,
	"pg": archive.RatingTeen, "k+": archive.RatingTeen, "pg-13": archive.RatingTeen, "pg13": archive.RatingTeen, "t": archive.RatingTeen,
	"teen": archive.RatingTeen, "teens": archive.RatingTeen, "teen and up audiences": archive.RatingTeen, "pre-teen": archive.RatingTeen,
	"fr13": archive.RatingTeen, "frt": archive.RatingTeen,
	"r": archive.RatingMature, "m": archive.RatingMature, "mature": archive.RatingMature, "fr15": archive.RatingMature, "frm": archive.RatingMature,
	"nc-17": archive.RatingExplicit, "nc17": archive.RatingExplicit, "x": archive.RatingExplicit, "xxx": archive.RatingExplicit,
	"ma": archive.RatingExplicit, "adult": archive.RatingExplicit, "adults only": archive.RatingExplicit, "explicit": archive.RatingExplicit,
	"fr18": archive.RatingExplicit, "frao": archive.RatingExplicit, "nc-18": archive.RatingExplicit,
	"not rated": archive.RatingNotRated, "unrated": archive.RatingNotRated,
}

// MapRating maps an eFiction rating name to a Quire rating by the
// built-in table, then by the words it contains, else Not Rated.
func MapRating(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	if r, ok := ratingWords[n]; ok {
		return r
	}
	for _, p := range []struct{ word, rating string }{
		{"explicit", archive.RatingExplicit}, {"adult", archive.RatingExplicit}, {"nc-17", archive.RatingExplicit}, {"nc17", archive.RatingExplicit},
		{"mature", archive.RatingMature}, {"teen", archive.RatingTeen}, {"pg", archive.RatingTeen},
		{"all ages", archive.RatingGeneral}, {"general", archive.RatingGeneral}, {"everyone", archive.RatingGeneral},
	} {
		if strings.Contains(n, p.word) {
			return p.rating
		}
	}
	return archive.RatingNotRated
}

// ReadRatingMap reads an operator's rating table: one "eFiction name =
// Quire rating" per line; blank lines and lines starting with # are
// skipped.
func ReadRatingMap(r io.Reader) (map[string]string, error) {
	m := map[string]string{}
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return nil, fmt.Errorf("line %d: expected \"eFiction rating = Quire rating\"", n)
		}
		found := ""
		for _, q := range archive.Ratings {
			if strings.EqualFold(q, v) {
				found = q
			}
		}
		if found == "" {
			return nil, fmt.Errorf("line %d: %q is not a rating (%s)", n, v, strings.Join(archive.Ratings, ", "))
		}
		m[k] = found
	}
	return m, sc.Err()
}

// plain is an eFiction single-line field (a title, a name) as plain text:
// tags dropped, entities decoded.
func plain(s string) string {
	return strings.Join(strings.Fields(text.PlainText(text.ValidUTF8(s))), " ")
}

var forbiddenInTags = strings.NewReplacer(",", ";", "，", ";", "、", ";", "^", "", "*", "", "<", "", ">", "", "{", "", "}", "", "=", "-", "`", "'", "\\", "/", "%", " percent")

// tagName makes an eFiction category, character or class name a valid
// tag name ("" when nothing is left).
func tagName(s string) string {
	n := forbiddenInTags.Replace(plain(s))
	if r := []rune(n); len(r) > archive.MaxTagLength {
		n = strings.TrimSpace(string(r[:archive.MaxTagLength]))
	}
	n, err := archive.CleanTagName(n)
	if err != nil {
		return ""
	}
	return n
}

// ids splits a comma-separated id list.
func ids(s string) []int64 {
	var out []int64
	for _, p := range strings.Split(s, ",") {
		if n, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

var brRun = regexp.MustCompile(`(?i)(?:<br\s*/?>\s*){2,}`)
var brOne = regexp.MustCompile(`(?i)<br\s*/?>[ \t\r]*\n?`)

// rich turns eFiction's HTML (line breaks as <br />, a blank line as two)
// into the source Quire keeps: runs of two or more <br /> become a blank
// line (a new paragraph), a single one a newline (a line break); text.Render
// sanitizes it and adds the paragraphs.
func rich(s string) string {
	s = strings.ReplaceAll(text.ValidUTF8(s), "\r\n", "\n")
	s = brRun.ReplaceAllString(s, "\n\n")
	s = brOne.ReplaceAllString(s, "\n")
	return strings.TrimSpace(s)
}

// date reads a MySQL datetime (UTC assumed); zero and future dates are
// the zero time.
func (c *converter) date(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "0000") {
		return time.Time{}
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			if t.After(c.now) {
				return time.Time{}
			}
			return t.UTC()
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 && n < c.now.Unix() {
		return time.Unix(n, 0).UTC() // a Unix timestamp
	}
	return time.Time{}
}

func (c *converter) run(ctx context.Context) error {
	c.users, c.works, c.chapters, c.series = map[int64]*author{}, map[int64]*store.DumpWork{}, map[int64]int64{}, map[int64]int64{}
	c.places = map[int64][]int64{}
	if err := c.putTags(ctx); err != nil {
		return err
	}
	if err := c.putUsers(ctx); err != nil {
		return err
	}
	c.progress("%d accounts", c.rep.Users)
	if err := c.putWorks(ctx); err != nil {
		return err
	}
	c.progress("%d works, %d chapters", c.rep.Works, c.rep.Chapters)
	if err := c.putSeries(ctx); err != nil {
		return err
	}
	if err := c.putComments(ctx); err != nil {
		return err
	}
	c.progress("%d series, %d comments", c.rep.Series, c.rep.Comments)
	return c.putRedirects(ctx)
}

// putTags writes the categories as fandoms (a sub-category's parent is its
// meta tag) and the characters (with their category as parent fandom).
func (c *converter) putTags(ctx context.Context) error {
	var cats []Row
	for _, r := range c.categories {
		cats = append(cats, r)
	}
	sort.Slice(cats, func(i, j int) bool { return cats[i].Int("catid") < cats[j].Int("catid") })
	// Parents first: a tag's meta tag must be there before it.
	done := map[int64]bool{}
	var put func(r Row, depth int) error
	put = func(r Row, depth int) error {
		id := r.Int("catid")
		if done[id] || depth > 50 {
			return nil
		}
		done[id] = true
		name := tagName(r.Str("category"))
		if name == "" {
			return nil
		}
		sp := store.TagSpec{Type: archive.TypeFandom, Name: name}
		if p, ok := c.categories[r.Int("parentcatid")]; ok && r.Int("parentcatid") > 0 && r.Int("parentcatid") != id {
			if err := put(p, depth+1); err != nil {
				return err
			}
			if pn := tagName(p.Str("category")); pn != "" && archive.TagKey(pn) != archive.TagKey(name) {
				sp.Meta = []string{pn}
			}
		}
		if err := c.w.PutTag(ctx, sp); err != nil {
			return fmt.Errorf("category %d (%s): %w", id, name, err)
		}
		return nil
	}
	for _, r := range cats {
		if err := put(r, 0); err != nil {
			return err
		}
	}
	var chars []Row
	for _, r := range c.characters {
		chars = append(chars, r)
	}
	sort.Slice(chars, func(i, j int) bool { return chars[i].Int("charid") < chars[j].Int("charid") })
	for _, r := range chars {
		name := tagName(r.Str("charname"))
		if name == "" {
			continue
		}
		sp := store.TagSpec{Type: archive.TypeCharacter, Name: name}
		if cat, ok := c.categories[r.Int("catid")]; ok {
			if f := tagName(cat.Str("category")); f != "" {
				sp.Parents = []string{f}
			}
		}
		if err := c.w.PutTag(ctx, sp); err != nil {
			return fmt.Errorf("character %d (%s): %w", r.Int("charid"), name, err)
		}
	}
	return nil
}

var notNameChars = regexp.MustCompile(`[^A-Za-z0-9_]+`)

// asciiFold drops the accents of Latin letters ("Tomás" → "Tomas"), so an
// account name keeps as much of a pen name as it can.
func asciiFold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// putUsers makes an account per author: the pen name as the account name
// when it is a valid one and free, else a cleaned and numbered one; the pen
// name itself as the byline pseud when it differs and is free.
func (c *converter) putUsers(ctx context.Context) error {
	rows := append([]Row(nil), c.table("authors")...)
	sort.Slice(rows, func(i, j int) bool { return rows[i].Int("uid") < rows[j].Int("uid") })
	emails := map[string]bool{}
	for _, r := range rows {
		uid := r.Int("uid")
		if uid <= 0 || c.users[uid] != nil {
			continue
		}
		pen := plain(r.Str("penname"))
		base := strings.Trim(notNameChars.ReplaceAllString(asciiFold(pen), "_"), "_")
		if base == "" {
			base = fmt.Sprintf("author%d", uid)
		}
		if len(base) > archive.MaxUserNameLength-8 {
			base = strings.TrimRight(base[:archive.MaxUserNameLength-8], "_")
		}
		name := base
		for n := 2; ; n++ {
			taken, err := c.w.NameTaken(ctx, name)
			if err != nil {
				return err
			}
			if !taken {
				break
			}
			name = fmt.Sprintf("%s_%d", base, n)
		}
		if name != pen {
			c.rep.Renamed = append(c.rep.Renamed, fmt.Sprintf("%s → %s", pen, name))
		}
		email, err := archive.CleanEmail(r.Str("email"))
		if err == nil {
			taken, terr := c.w.EmailTaken(ctx, email)
			if terr != nil {
				return terr
			}
			if taken || emails[strings.ToLower(email)] {
				err = errors.New("taken")
			}
		}
		if err != nil {
			email = strings.ToLower(name) + "@efiction-import.invalid"
			c.rep.NoEmail = append(c.rep.NoEmail, name)
		}
		emails[strings.ToLower(email)] = true
		created := c.date(r.Str("date"))
		if created.IsZero() {
			created = c.now
		}
		du := &store.DumpUser{User: archive.User{Name: name, Email: email, CreatedAt: created,
			Preferences: archive.Preferences{EmailNotify: true}},
			Pseuds: []store.DumpPseud{{Name: name, Default: true, CreatedAt: created}}}
		a := &author{name: name, pseud: name}
		if pen != name && pen != "" && utf8.RuneCountInString(pen) <= archive.MaxPseudLength {
			taken, err := c.w.NameTaken(ctx, pen)
			if err != nil {
				return err
			}
			if !taken {
				du.Pseuds = append(du.Pseuds, store.DumpPseud{Name: pen, CreatedAt: created})
				a.pseud = pen
			}
		}
		if err := c.w.PutUser(ctx, du); err != nil {
			return fmt.Errorf("author %d (%s): %w", uid, pen, err)
		}
		c.users[uid] = a
		c.rep.Users++
	}
	return nil
}

// storyChapters returns a story's chapters in inorder (then chapid) order.
func (c *converter) storyChapters() map[int64][]Row {
	m := map[int64][]Row{}
	for _, r := range c.table("chapters") {
		m[r.Int("sid")] = append(m[r.Int("sid")], r)
	}
	for _, rs := range m {
		sort.SliceStable(rs, func(i, j int) bool {
			if a, b := rs[i].Int("inorder"), rs[j].Int("inorder"); a != b {
				return a < b
			}
			return rs[i].Int("chapid") < rs[j].Int("chapid")
		})
	}
	return m
}

// reviewCounts counts the reviews each story will get as comments.
func (c *converter) reviewCounts() map[int64]int64 {
	m := map[int64]int64{}
	for _, r := range c.table("reviews") {
		if c.reviewBody(r) != "" && isStoryReview(r) {
			m[r.Int("item")]++
		}
	}
	return m
}

func isStoryReview(r Row) bool {
	t := strings.ToUpper(strings.TrimSpace(r.Str("type")))
	return t == "" || t == "ST"
}

func (c *converter) reviewBody(r Row) string {
	b := rich(r.Str("review"))
	if strings.TrimSpace(text.PlainText(text.Render(b, "html"))) == "" {
		return ""
	}
	return b
}

func (c *converter) chapterText(story, ch Row) (string, error) {
	body := ch.Str("storytext")
	if strings.TrimSpace(body) != "" || c.opts.StoriesDir == "" {
		return body, nil
	}
	path := filepath.Join(c.opts.StoriesDir, strconv.FormatInt(ch.Int("uid"), 10), strconv.FormatInt(ch.Int("chapid"), 10)+".txt")
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("story %d chapter %d: %w", story.Int("sid"), ch.Int("chapid"), err)
	}
	return Decode(data, c.opts.Charset)
}

func (c *converter) putWorks(ctx context.Context) error {
	stories := append([]Row(nil), c.table("stories")...)
	sort.Slice(stories, func(i, j int) bool { return stories[i].Int("sid") < stories[j].Int("sid") })
	chapters := c.storyChapters()
	reviews := c.reviewCounts()
	if !c.opts.Strict {
		known := map[int64]bool{}
		for _, s := range stories {
			known[s.Int("sid")] = true
		}
		for _, ch := range c.table("chapters") {
			if !known[ch.Int("sid")] {
				c.rep.Skipped = append(c.rep.Skipped, fmt.Sprintf("chapter %d (%s): its story %d is not in the stories table", ch.Int("chapid"), plain(ch.Str("title")), ch.Int("sid")))
			}
		}
	}
	for _, s := range stories {
		sid := s.Int("sid")
		fail := func(err error) error {
			return fmt.Errorf("story %d (%s): %w", sid, plain(s.Str("title")), err)
		}
		owner := c.users[s.Int("uid")]
		if owner == nil {
			if err := c.skip(fail(fmt.Errorf("its author %d is not in the authors table", s.Int("uid")))); err != nil {
				return err
			}
			continue
		}
		creators := []string{owner.pseud}
		co := c.coauthors[sid]
		if _, hasTable := c.d.Tables[c.prefix+"coauthors"]; !hasTable && strings.Contains(s.Str("coauthors"), ",") {
			co = ids(s.Str("coauthors")) // before 3.5 the column held the list
		}
		for _, uid := range co {
			if a := c.users[uid]; a != nil && uid != s.Int("uid") {
				creators = append(creators, a.pseud)
			}
		}
		in := archive.WorkInput{
			Title: plain(s.Str("title")), Summary: rich(s.Str("summary")), SummaryFormat: archive.FormatHTML,
			Notes: rich(s.Str("storynotes")), NotesFormat: archive.FormatHTML,
			Rating: archive.RatingNotRated, Language: c.opts.Language, Pseuds: creators,
			Draft: strings.TrimSpace(s.Str("validated")) == "0", PostedAt: c.date(s.Str("date")),
		}
		if in.Title == "" {
			in.Title = fmt.Sprintf("Untitled (story %d)", sid)
		}
		for _, rid := range ids(s.Str("rid")) {
			if r, ok := c.ratings[rid]; ok {
				in.Rating = r
				break
			}
		}
		// Names are unique per tag type: a character may share its name
		// with a fandom.
		seen := map[*[]string]map[string]bool{}
		add := func(dst *[]string, name string) {
			if seen[dst] == nil {
				seen[dst] = map[string]bool{}
			}
			if k := archive.TagKey(name); name != "" && !seen[dst][k] {
				seen[dst][k] = true
				*dst = append(*dst, name)
			}
		}
		for _, id := range ids(s.Str("catid")) {
			if cat, ok := c.categories[id]; ok {
				add(&in.Fandoms, tagName(cat.Str("category")))
			}
		}
		if len(in.Fandoms) == 0 {
			in.Fandoms = []string{c.opts.Fandom}
		}
		for _, id := range ids(s.Str("charid")) {
			if ch, ok := c.characters[id]; ok {
				add(&in.Characters, tagName(ch.Str("charname")))
			}
		}
		for _, id := range ids(s.Str("classes")) {
			cl, ok := c.classes[id]
			if !ok {
				continue
			}
			name := tagName(cl.Str("class_name"))
			kind := c.classTypes[cl.Int("class_type")]
			switch {
			case strings.Contains(kind, "warning"):
				if w := archiveWarning(name); w != "" {
					add(&in.Warnings, w)
				} else {
					add(&in.Freeforms, name)
				}
			case strings.Contains(kind, "pairing") || strings.Contains(kind, "relationship"):
				add(&in.Relationships, name)
			case strings.Contains(kind, "character"):
				add(&in.Characters, name)
			default: // genres and any other class type
				add(&in.Freeforms, name)
			}
		}
		if len(in.Warnings) == 0 {
			in.Warnings = []string{archive.WarningChoseNot}
		}
		var rows []Row // the chapters imported, in order
		posted := 0
		for _, ch := range chapters[sid] {
			body, err := c.chapterText(s, ch)
			if err == nil && strings.TrimSpace(body) == "" {
				hint := ""
				if c.opts.StoriesDir == "" {
					hint = " (a site that kept chapters in files needs --stories DIR)"
				}
				err = fail(fmt.Errorf("chapter %d has no text%s", ch.Int("chapid"), hint))
			}
			if err != nil {
				if err := c.skip(err); err != nil {
					return err
				}
				continue
			}
			rows = append(rows, ch)
			ci := archive.ChapterInput{Title: plain(ch.Str("title")), Body: rich(body), Format: archive.FormatHTML,
				Notes: rich(ch.Str("notes")), NotesFormat: archive.FormatHTML, EndNotes: rich(ch.Str("endnotes")), EndNotesFormat: archive.FormatHTML,
				Draft: ch.Has("validated") && strings.TrimSpace(ch.Str("validated")) == "0" && !in.Draft}
			if !ci.Draft {
				posted++
			}
			in.Chapters = append(in.Chapters, ci)
		}
		if len(in.Chapters) == 0 {
			if err := c.skip(fail(errors.New("it has no chapters"))); err != nil {
				return err
			}
			continue
		}
		if posted == 0 && !in.Draft {
			in.Draft = true // every chapter awaits validation
			for i := range in.Chapters {
				in.Chapters[i].Draft = false
			}
			posted = len(in.Chapters)
		}
		if strings.TrimSpace(s.Str("completed")) == "1" {
			in.ChaptersExpected = posted
		}
		w, chs, err := archive.PrepareWork(in, c.now)
		if err != nil {
			if err := c.skip(fail(err)); err != nil {
				return err
			}
			continue
		}
		w.ID = 0 // a new id, whatever the archive holds
		for _, p := range creators {
			w.Creators = append(w.Creators, archive.Creator{Pseud: p})
		}
		w.Hits = max(s.Int("count"), 0)
		w.Comments = reviews[sid]
		if u := c.date(s.Str("updated")); !u.IsZero() && !u.Before(w.PostedAt) {
			w.UpdatedAt = u
		}
		dw := &store.DumpWork{Work: w, Chapters: chs}
		if err := c.w.PutWork(ctx, dw); err != nil {
			return fail(err)
		}
		for i, ch := range rows {
			c.chapters[ch.Int("chapid")] = chs[i].ID
		}
		c.places[sid] = chapterPlaces(chapters[sid], rows)
		c.works[sid] = dw
		c.rep.Works++
		c.rep.Chapters += len(chs)
		if w.Draft {
			c.rep.Drafts++
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// archiveWarning is the archive warning an eFiction warning class names
// (ignoring case), or "".
func archiveWarning(name string) string {
	for _, w := range archive.Warnings {
		if strings.EqualFold(w, name) {
			return w
		}
	}
	return ""
}

// putSeries writes each series with its stories in order (sub-series
// entries are skipped: Quire series hold works only).
func (c *converter) putSeries(ctx context.Context) error {
	entries := map[int64][]Row{}
	for _, r := range c.table("inseries") {
		if r.Int("sid") > 0 && r.Int("subseriesid") == 0 {
			entries[r.Int("seriesid")] = append(entries[r.Int("seriesid")], r)
		}
	}
	rows := append([]Row(nil), c.table("series")...)
	sort.Slice(rows, func(i, j int) bool { return rows[i].Int("seriesid") < rows[j].Int("seriesid") })
	for _, r := range rows {
		id := r.Int("seriesid")
		owner := c.users[r.Int("uid")]
		if owner == nil {
			if err := c.skip(fmt.Errorf("series %d (%s): its author %d is not in the authors table", id, plain(r.Str("title")), r.Int("uid"))); err != nil {
				return err
			}
			continue
		}
		es := entries[id]
		sort.SliceStable(es, func(i, j int) bool { return es[i].Int("inorder") < es[j].Int("inorder") })
		title := plain(r.Str("title"))
		if title == "" {
			title = fmt.Sprintf("Untitled (series %d)", id)
		}
		title, err := archive.CleanTitle("title", title, true, archive.MaxTitleLength)
		if err != nil {
			if err := c.skip(fmt.Errorf("series %d: %w", id, err)); err != nil {
				return err
			}
			continue
		}
		ds := &store.DumpSeries{Series: archive.Series{Title: title, Creators: []archive.Creator{{Pseud: owner.pseud}}, CreatedAt: c.now, UpdatedAt: c.now}}
		if src := rich(r.Str("summary")); src != "" {
			h := text.Render(src, "html")
			if n := text.CountChars(h); n > archive.MaxSummaryLength {
				// The series still groups its works; only the summary is lost.
				if err := c.skip(fmt.Errorf("series %d (%s): its summary is %d characters long, the limit is %d: the series is imported without it", id, title, n, archive.MaxSummaryLength)); err != nil {
					return err
				}
			} else {
				ds.Series.Summary = archive.Rich{Source: src, Format: archive.FormatHTML, HTML: h}
			}
		}
		seen := map[int64]bool{}
		for _, e := range es {
			dw := c.works[e.Int("sid")]
			if dw == nil || seen[dw.Work.ID] {
				continue
			}
			seen[dw.Work.ID] = true
			ds.Series.Works = append(ds.Series.Works, archive.SeriesEntry{WorkID: dw.Work.ID})
			if dw.Work.PostedAt.Before(ds.Series.CreatedAt) {
				ds.Series.CreatedAt = dw.Work.PostedAt
			}
		}
		ds.Series.UpdatedAt = ds.Series.CreatedAt
		if err := c.w.PutSeries(ctx, ds); err != nil {
			return fmt.Errorf("series %d: %w", id, err)
		}
		c.series[id] = ds.Series.ID
		c.rep.Series++
	}
	return nil
}

// putComments writes the story reviews as comments on their chapter (the
// first chapter when the review names none), by their account or, for a
// guest, under the name they gave.
func (c *converter) putComments(ctx context.Context) error {
	rows := append([]Row(nil), c.table("reviews")...)
	sort.Slice(rows, func(i, j int) bool { return rows[i].Int("reviewid") < rows[j].Int("reviewid") })
	for _, r := range rows {
		body := c.reviewBody(r)
		dw := c.works[r.Int("item")]
		if !isStoryReview(r) || body == "" || dw == nil {
			c.rep.SkippedReviews++
			continue
		}
		chapter, ok := c.chapters[r.Int("chapid")]
		if !ok || !chapterOf(dw, chapter) {
			chapter = dw.Chapters[0].ID
		}
		cm := archive.Comment{WorkID: dw.Work.ID, ChapterID: chapter, Approved: true,
			Body: archive.Rich{Source: body, Format: archive.FormatHTML, HTML: text.Render(body, "html")}, CreatedAt: c.date(r.Str("date"))}
		if cm.CreatedAt.IsZero() {
			cm.CreatedAt = dw.Work.PostedAt
		}
		if n := text.CountChars(cm.Body.HTML); n > archive.MaxCommentChars {
			if err := c.skip(fmt.Errorf("review %d: is %d characters long; the limit for a comment is %d", r.Int("reviewid"), n, archive.MaxCommentChars)); err != nil {
				return err
			}
			continue
		}
		if a := c.users[r.Int("uid")]; a != nil && r.Int("uid") > 0 {
			cm.UserName, cm.Pseud = a.name, a.pseud
		} else {
			cm.GuestName = plain(r.Str("reviewer"))
			if cm.GuestName == "" || cm.GuestName == "0" {
				cm.GuestName = "Guest"
			}
			if rs := []rune(cm.GuestName); len(rs) > archive.MaxGuestName {
				cm.GuestName = string(rs[:archive.MaxGuestName])
			}
		}
		if err := c.w.PutComment(ctx, &store.DumpComment{Comment: cm}); err != nil {
			return fmt.Errorf("review %d: %w", r.Int("reviewid"), err)
		}
		c.rep.Comments++
	}
	return nil
}

func chapterOf(dw *store.DumpWork, id int64) bool {
	for _, ch := range dw.Chapters {
		if ch.ID == id {
			return true
		}
	}
	return false
}

// chapterPlaces numbers the imported chapters (kept, a subset of all in
// order) as eFiction's viewstory.php?chapter=N does: by the chapters
// table's inorder when every chapter of the story has its own positive
// one, else by the place among all the story's chapters, skipped ones
// counted.
func chapterPlaces(all, kept []Row) []int64 {
	byInorder := true
	seen := map[int64]bool{}
	for _, r := range all {
		n := r.Int("inorder")
		if n <= 0 || seen[n] {
			byInorder = false
			break
		}
		seen[n] = true
	}
	place := map[int64]int64{} // chapid → N
	for i, r := range all {
		if byInorder {
			place[r.Int("chapid")] = r.Int("inorder")
		} else {
			place[r.Int("chapid")] = int64(i + 1)
		}
	}
	out := make([]int64, len(kept))
	for i, r := range kept {
		out[i] = place[r.Int("chapid")]
	}
	return out
}

// RedirectKey is the canonical old URL the redirects table keys on: the
// path, then the one query parameter that names the item (and, for a
// story, the chapter).
func RedirectKey(path, param string, id int64, chapter int64) string {
	k := path + "?" + param + "=" + strconv.FormatInt(id, 10)
	if chapter > 0 {
		k += "&chapter=" + strconv.FormatInt(chapter, 10)
	}
	return k
}

func (c *converter) putRedirects(ctx context.Context) error {
	prefix := strings.TrimRight(c.opts.URLPrefix, "/")
	if prefix != "" && !strings.HasPrefix(prefix, "/") {
		prefix = "/" + prefix
	}
	put := func(from, to string) error {
		if err := c.w.PutRedirect(ctx, &store.DumpRedirect{From: from, To: to}); err != nil {
			return err
		}
		c.rep.Redirects++
		return nil
	}
	var sids []int64
	for sid := range c.works {
		sids = append(sids, sid)
	}
	sort.Slice(sids, func(i, j int) bool { return sids[i] < sids[j] })
	for _, sid := range sids {
		dw := c.works[sid]
		workPath := "/works/" + strconv.FormatInt(dw.Work.ID, 10)
		if err := put(RedirectKey(prefix+"/viewstory.php", "sid", sid, 0), workPath); err != nil {
			return err
		}
		// eFiction's chapter=N, as the old site linked it: a skipped
		// chapter's number is not given to the next.
		for i, ch := range dw.Chapters {
			if err := put(RedirectKey(prefix+"/viewstory.php", "sid", sid, c.places[sid][i]), workPath+"/chapters/"+strconv.FormatInt(ch.ID, 10)); err != nil {
				return err
			}
		}
	}
	var uids []int64
	for uid := range c.users {
		uids = append(uids, uid)
	}
	sort.Slice(uids, func(i, j int) bool { return uids[i] < uids[j] })
	for _, uid := range uids {
		if err := put(RedirectKey(prefix+"/viewuser.php", "uid", uid, 0), "/users/"+c.users[uid].name); err != nil {
			return err
		}
	}
	var series []int64
	for id := range c.series {
		series = append(series, id)
	}
	sort.Slice(series, func(i, j int) bool { return series[i] < series[j] })
	for _, id := range series {
		if err := put(RedirectKey(prefix+"/viewseries.php", "seriesid", id, 0), "/series/"+strconv.FormatInt(c.series[id], 10)); err != nil {
			return err
		}
	}
	return nil
}
