namespace FinNet.Exchanges;

/// <summary>
/// One closing price: the price message an exchange publishes (topic <c>StockExchange</c>, key = ticker).
/// </summary>
public sealed record PriceQuote(string Ticker, DateOnly Date, decimal Price, string ExchangeId);
