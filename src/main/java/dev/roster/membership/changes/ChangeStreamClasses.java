package dev.roster.membership.changes;

import com.mongodb.MongoNamespace;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.NamespaceType;
import com.mongodb.client.model.changestream.OperationType;
import com.mongodb.client.model.changestream.SplitEvent;
import com.mongodb.client.model.changestream.TruncatedArray;
import com.mongodb.client.model.changestream.UpdateDescription;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The driver classes that a change stream event is decoded into. The driver's {@code ChangeStreamDocumentCodec}
 * is a POJO codec: it finds their constructors, getters and fields by reflection. Quarkus's MongoDB extension
 * registers {@link ChangeStreamDocument} and {@link UpdateDescription} only; every event names its
 * {@link MongoNamespace}, so without this a native instance could not read its change feed. Listed in full so
 * that the feed does not depend on what an extension version happens to register (the two enums are what
 * getters derive from strings; registered as the getters name them).
 */
@RegisterForReflection(
        targets = {
            ChangeStreamDocument.class,
            UpdateDescription.class,
            MongoNamespace.class,
            SplitEvent.class,
            TruncatedArray.class,
            OperationType.class,
            NamespaceType.class
        })
final class ChangeStreamClasses {

    private ChangeStreamClasses() {}
}
