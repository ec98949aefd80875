using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace FinNet.Messaging.Kafka;

/// <summary>
/// How FinNet's transactional producers (investors, valuation workers) publish: everything <c>produce</c> sends is
/// one transaction; an abortable failure aborts it and runs <c>produce</c> again (it must send the same messages);
/// being fenced ends the producer's work with a one-line error.
/// </summary>
internal static class KafkaTransactions
{
    /// <summary>Abortable transaction failures are retried this often before the error is allowed to end the service.</summary>
    private const int Attempts = 10;

    public static void Publish(IProducer<string, byte[]> producer, ILogger logger, Action produce)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                producer.BeginTransaction();
                produce();
                producer.CommitTransaction(KafkaClients.Timeout);
                return;
            }
            catch (KafkaException e) when (e.Error.Code == ErrorCode.ProducerFenced || e.Error.IsFatal)
            {
                // Another instance initialised the same transactional id, or (KIP-447) the group moved on: it has taken over.
                throw new ServiceUnavailableException($"{producer.Name}: fenced, another instance took over ({e.Error.Reason}); this one stops publishing", e);
            }
            catch (KafkaException e) when (e is KafkaTxnRequiresAbortException || (e.Error.IsError && attempt < Attempts))
            {
                Log.TransactionRetried(logger, attempt, e.Error.Reason);
                try
                {
                    producer.AbortTransaction(KafkaClients.Timeout);
                }
                catch (KafkaException abort) when (!abort.Error.IsFatal)
                {
                    // nothing was open
                }
            }
        }
    }
}
