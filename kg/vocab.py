"""Closed vocabulary namespaces: a misspelt term is an error at import time, never a silent new IRI."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

#: Everything kg mints lives under this one base. It is a placeholder (no permanent w3id path is
#: registered for the project yet); change it here and in ontology/*.ttl together.
BASE = "https://example.org/kg/"
ONTOLOGY_IRI = URIRef(BASE + "ontology")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")


class KG(DefinedNamespace):
    """The kg ontology (ontology/kg.ttl); tests check this list against the file both ways."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    Approximately: URIRef
    Assertion: URIRef
    Briefing: URIRef
    City: URIRef
    Country: URIRef
    District: URIRef
    Enterprise: URIRef
    Event: URIRef
    Facility: URIRef
    Figure: URIRef
    FigureStructure: URIRef
    FunctionalZone: URIRef
    Fund: URIRef
    Hospital: URIRef
    InOperation: URIRef
    Indicator: URIRef
    IndustrialPark: URIRef
    Initiative: URIRef
    Institution: URIRef
    Library: URIRef
    MoreThan: URIRef
    Museum: URIRef
    Park: URIRef
    Partnership: URIRef
    Person: URIRef
    Place: URIRef
    Plan: URIRef
    Planned: URIRef
    Platform: URIRef
    Policy: URIRef
    Programme: URIRef
    Project: URIRef
    PublicAuthority: URIRef
    Qualifier: URIRef
    QualifierScheme: URIRef
    Range: URIRef
    Region: URIRef
    ResearchInstitute: URIRef
    Sector: URIRef
    SourceDocument: URIRef
    Status: URIRef
    StatusScheme: URIRef
    TextSpan: URIRef
    TopN: URIRef
    UnderWay: URIRef
    University: URIRef
    UrbanVillage: URIRef
    about: URIRef
    attendee: URIRef
    componentAbout: URIRef
    componentIndicator: URIRef
    componentPeriod: URIRef
    componentQualifier: URIRef
    componentUnit: URIRef
    componentValue: URIRef
    componentYoy: URIRef
    describes: URIRef
    establishes: URIRef
    focusSector: URIRef
    guidedBy: URIRef
    inSector: URIRef
    indicator: URIRef
    launchedBy: URIRef
    linkedTo: URIRef
    locatedIn: URIRef
    managedBy: URIRef
    mentions: URIRef
    organizer: URIRef
    partOf: URIRef
    presenter: URIRef
    qualifier: URIRef
    series: URIRef
    seriesNumber: URIRef
    session: URIRef
    statedAs: URIRef
    status: URIRef
    supports: URIRef
    theme: URIRef
    upperBound: URIRef
    yoyChangePercent: URIRef


class NIF(DefinedNamespace):
    """The NIF 2.1 core terms kg uses for character spans."""

    _NS = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    _fail = True

    Context: URIRef
    OffsetBasedString: URIRef
    Sentence: URIRef
    isString: URIRef
    sourceUrl: URIRef
    beginIndex: URIRef
    endIndex: URIRef
    anchorOf: URIRef
    referenceContext: URIRef
    sentence: URIRef


class SDMX_DIMENSION(DefinedNamespace):
    _NS = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
    _fail = True
    refPeriod: URIRef


class SDMX_MEASURE(DefinedNamespace):
    _NS = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
    _fail = True
    obsValue: URIRef


class SDMX_ATTRIBUTE(DefinedNamespace):
    _NS = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
    _fail = True
    unitMeasure: URIRef


class CPOV(DefinedNamespace):
    _NS = Namespace("http://data.europa.eu/m8g/")
    _fail = True
    PublicOrganisation: URIRef


class QUDT(DefinedNamespace):
    _NS = Namespace("http://qudt.org/schema/qudt/")
    _fail = True
    Unit: URIRef


class SCHEMA(DefinedNamespace):
    """The schema.org terms kg writes (rdflib's SDO predates schema:observationAbout)."""

    _NS = Namespace("https://schema.org/")
    _fail = True
    observationAbout: URIRef
    startDate: URIRef
    sameAs: URIRef


UNIT = Namespace("http://qudt.org/vocab/unit/")
WD = Namespace("http://www.wikidata.org/entity/")

#: Prefixes bound in every graph kg writes, and used to compact IRIs for people.
PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "kgr": str(ID),
    "kgg": str(GRAPH),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "vann": "http://purl.org/vocab/vann/",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "nif": str(NIF._NS),
    "qb": "http://purl.org/linked-data/cube#",
    "sdmx-dimension": str(SDMX_DIMENSION._NS),
    "sdmx-measure": str(SDMX_MEASURE._NS),
    "sdmx-attribute": str(SDMX_ATTRIBUTE._NS),
    "qudt": str(QUDT._NS),
    "unit": str(UNIT),
    "geo": "http://www.opengis.net/ont/geosparql#",
    "time": "http://www.w3.org/2006/time#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "cpov": str(CPOV._NS),
    "wd": str(WD),
}
