package archive

import (
	"regexp"
	"strconv"
)

// chapterAnchorLink is a link to an anchor of an imported chapter:
// "#uc-c3-note-1" (an id in chapter 3) or "#uc-c3" (chapter 3 itself),
// numbered by the chapters' places in the imported file.
var chapterAnchorLink = regexp.MustCompile(`href="#uc-c([0-9]{1,6})(-[^"]*)?"`)

// LinkChapters turns links between the chapters of a freshly imported work
// into links to the chapter pages they lead to, now that the chapters have
// ids: "#uc-c3-note-1" in chapter 1 becomes
// "/works/W/chapters/C3#uc-c3-note-1". A link within its own chapter stays
// a fragment. It returns the indexes of the chapters whose bodies changed.
func LinkChapters(workID int64, chapters []*Chapter) []int {
	var changed []int
	for i, c := range chapters {
		fix := func(s string) string {
			return chapterAnchorLink.ReplaceAllStringFunc(s, func(m string) string {
				sub := chapterAnchorLink.FindStringSubmatch(m)
				n, _ := strconv.Atoi(sub[1])
				if n == i+1 && sub[2] != "" {
					return m
				}
				if n < 1 || n > len(chapters) || chapters[n-1].ID == 0 {
					return `href="#"`
				}
				to := "/works/" + strconv.FormatInt(workID, 10) + "/chapters/" + strconv.FormatInt(chapters[n-1].ID, 10)
				if sub[2] != "" {
					to += "#uc-c" + sub[1] + sub[2]
				}
				return `href="` + to + `"`
			})
		}
		body, src := fix(c.Body.HTML), fix(c.Body.Source)
		if body != c.Body.HTML || src != c.Body.Source {
			c.Body.HTML, c.Body.Source = body, src
			changed = append(changed, i)
		}
	}
	return changed
}
