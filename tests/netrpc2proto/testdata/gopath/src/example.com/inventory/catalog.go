package inventory

import (
	"errors"
	"sort"
	"sync"
	"time"
)

// Catalog is the net/rpc service "Catalog".
type Catalog struct {
	mu    sync.Mutex
	items map[SKU]Item
}

// NewCatalog returns a catalog holding CanonicalItem.
func NewCatalog() *Catalog {
	c := &Catalog{items: map[SKU]Item{}}
	it := CanonicalItem()
	c.items[it.SKU] = it
	return c
}

// Get answers with the item of a SKU (a string argument).
func (c *Catalog) Get(sku string, reply *Item) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	it, ok := c.items[SKU(sku)]
	if !ok {
		return errors.New("not found: " + sku)
	}
	*reply = it
	return nil
}

// Put stores an item and answers with it as stored (Revision bumped).
func (c *Catalog) Put(item *Item, reply *Item) error {
	if item.SKU == "" {
		return errors.New("put: empty SKU")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	it := *item
	it.Revision++
	c.items[it.SKU] = it
	*reply = it
	return nil
}

// Count answers with how many items match (a value argument, an int reply).
func (c *Catalog) Count(f Filter, n *int) error {
	*n = len(c.match(f))
	return nil
}

// Search answers with the matching items, by SKU (a slice reply).
func (c *Catalog) Search(f *Filter, reply *[]Item) error {
	*reply = c.match(*f)
	return nil
}

// Stock answers with an item's stock (a named string argument).
func (c *Catalog) Stock(sku SKU, reply *StockReport) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	it, ok := c.items[sku]
	if !ok {
		return errors.New("not found: " + string(sku))
	}
	r := StockReport{SKU: sku, Levels: it.Stock, Digest: [4]uint8{0xde, 0xad, 0xbe, 0xef}, AsOf: it.Created.Add(time.Hour)}
	for _, n := range it.Stock {
		r.Total += int(n)
	}
	*reply = r
	return nil
}

// Touch answers with the item's creation time (a time.Time reply).
func (c *Catalog) Touch(sku string, at *time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	it, ok := c.items[SKU(sku)]
	if !ok {
		return errors.New("not found: " + sku)
	}
	*at = it.Created
	return nil
}

func (c *Catalog) match(f Filter) []Item {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Item
	for _, it := range c.items {
		if f.Status != StatusUnknown && it.Status != f.Status {
			continue
		}
		if f.Tag != "" {
			found := false
			for _, t := range it.Tags {
				found = found || t == f.Tag
			}
			if !found {
				continue
			}
		}
		out = append(out, it)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SKU < out[j].SKU })
	return out
}

// Methods net/rpc does not register (it logs why):

// Size has no reply argument.
func (c *Catalog) Size(x int) int { return len(c.items) }

// Reset has no arguments.
func (c *Catalog) Reset() error { return nil }

// Lookup's reply is not a pointer.
func (c *Catalog) Lookup(sku string, reply Item) error { return nil }

// Peek's argument type is not exported.
func (c *Catalog) Peek(k key, reply *Item) error { return nil }

// Dump returns two results.
func (c *Catalog) Dump(sku string, reply *Item) (int, error) { return 0, nil }

type key struct{ s string }

// check is unexported: net/rpc skips it without a word.
func (c *Catalog) check(sku string, reply *Item) error { return nil }
