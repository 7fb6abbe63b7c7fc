// Package money is a second package of the estate: its Price has the same
// Go name as inventory.Price, so the generated proto must tell them apart.
package money

// Price is an amount in the smallest unit of a currency.
type Price struct {
	Currency string // ISO 4217, "EUR"
	Cents    int64
}
