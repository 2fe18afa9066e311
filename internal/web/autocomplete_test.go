package web_test

import (
	"net/url"
	"testing"

	"quire/internal/web"
)

// The tag fields of the listing sidebar and the work form are marked for
// autocomplete.js and stay plain text inputs, named as the form posts them;
// the script itself is served from /static/. (cmd/quire's browser test
// drives the script.)
func TestTagAutocompleteMarkup(t *testing.T) {
	r := newRig(t, web.Options{})
	a := r.browser()
	a.signup("tagger")
	a.postWork(url.Values{"title": {"Tagged"}})

	script := `<script src="/static/autocomplete.js" defer></script>`
	r.browser().get("/works").status_(t, 200).has(t, script,
		`<input id="f-tag" name="tag" value="" data-autocomplete="tags">`,
		`<input id="f-xtag" name="exclude_tag" value="" data-autocomplete="tags">`)
	a.get("/works/new").status_(t, 200).has(t, script,
		`name="fandom" value="" required data-autocomplete="tags" data-tag-type="fandom">`,
		`data-autocomplete="tags" data-tag-type="relationship"`,
		`data-autocomplete="tags" data-tag-type="character"`,
		`data-autocomplete="tags" data-tag-type="freeform"`)
	a.get("/static/autocomplete.js").status_(t, 200).has(t, `"combobox"`, "aria-activedescendant", "/api/v1/autocomplete/tags")
}
