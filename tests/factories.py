"""Fictional applicants for tests: complete, valid applications the checker has nothing to say
about. Every person, number and address here is invented (555-01xx telephone numbers are
reserved for fiction; the ZIP codes and streets are generic).

    app = valid_application()                  # a single applicant, no findings on TODAY
    app = valid_application(married=True)      # with spouse_in_us() in Part A.II
    app.children = [child()]                   # a child aged 6 in the US, included
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from refugio.model import (
    AdditionalInformation,
    Address,
    Applicant,
    Application,
    Background,
    Child,
    Claim,
    Employment,
    Entry,
    FamilyMember,
    Grounds,
    MailingAddress,
    Residence,
    School,
    Signature,
    Spouse,
    YesNo,
)

TODAY = dt.date(2025, 6, 2)
"""The date every test checks on: the factory's last arrival (2025-01-15) was 4.5 months ago."""

NO = YesNo(answer=False)


def us_address(**overrides: Any) -> Address:
    fields: dict[str, Any] = {
        "street": "100 Example Street",
        "apartment": "2B",
        "city": "Springfield",
        "state": "IL",
        "zip_code": "62701",
        "phone_area_code": "217",
        "phone_number": "555-0134",
    }
    return Address(**(fields | overrides))


def applicant(**overrides: Any) -> Applicant:
    fields: dict[str, Any] = {
        "a_number": "A-201-555-019",
        "ssn": "none",
        "uscis_online_account_number": "none",
        "last_name": "Fictiva Ramos",
        "first_name": "Rosa",
        "middle_name": "Inés",
        "other_names": ["Rosa Fictiva"],
        "residence": us_address(),
        "mailing_address": MailingAddress(
            in_care_of="Ana Placeholder",
            street="200 Sample Avenue",
            apartment="none",
            city="Springfield",
            state="IL",
            zip_code="62702",
            phone_area_code="217",
            phone_number="5550199",
        ),
        "sex": "female",
        "marital_status": "single",
        "date_of_birth": dt.date(1990, 3, 14),
        "city_and_country_of_birth": "Cuenca, Ecuador",
        "present_nationality": "Ecuadorian",
        "nationality_at_birth": "Ecuadorian",
        "race_ethnic_or_tribal_group": "Mestiza",
        "religion": "Catholic",
        "immigration_court": "never",
        "last_departure_date": dt.date(2025, 1, 14),
        "i94_number": "12345678A01",
        "entries": [
            Entry(
                date=dt.date(2025, 1, 15),
                place="Miami, FL",
                status="B-2",
                status_expires=dt.date(2025, 7, 14),
            ),
            Entry(date=dt.date(2019, 8, 2), place="New York, NY", status="B-2"),
        ],
        "passport_country": "Ecuador",
        "passport_number": "X0000001",
        "travel_document_number": "none",
        "passport_expiration": dt.date(2030, 5, 1),
        "native_language": "Spanish",
        "fluent_in_english": False,
        "other_languages": "none",
    }
    return Applicant(**(fields | overrides))


def background() -> Background:
    cuenca = {"city": "Cuenca", "province": "Azuay", "country": "Ecuador"}
    return Background(
        last_addresses_before_us=[
            Residence(street="Calle Larga 12", start="2015-06", end="2025-01", **cuenca)
        ],
        residences=[
            Residence(
                street="100 Example Street",
                city="Springfield",
                province="IL",
                country="USA",
                start="2025-01",
                end="present",
            ),
            Residence(street="Calle Larga 12", start="2015-06", end="2025-01", **cuenca),
        ],
        education=[
            School(
                name="Universidad Ficticia",
                type="University",
                location="Cuenca, Ecuador",
                start="2008-09",
                end="2013-07",
            )
        ],
        employment=[
            Employment(
                employer="Diario Imaginario, Cuenca",
                occupation="Journalist",
                start="2014-01",
                end="2025-01",
            )
        ],
        mother=FamilyMember(
            full_name="Carmen Ramos",
            city_and_country_of_birth="Loja, Ecuador",
            current_location="Cuenca, Ecuador",
        ),
        father=FamilyMember(
            full_name="Jorge Fictivo", city_and_country_of_birth="Cuenca, Ecuador", deceased=True
        ),
        siblings=[
            FamilyMember(
                full_name="Luis Fictivo Ramos",
                city_and_country_of_birth="Cuenca, Ecuador",
                current_location="Quito, Ecuador",
            )
        ],
    )


def claim() -> Claim:
    return Claim(
        grounds=Grounds(political_opinion=True),
        past_harm=YesNo(answer=True, explanation="Threatened after publishing articles."),
        fear_of_return=YesNo(answer=True, explanation="The same group said it would kill me."),
        arrested_abroad=NO,
        organizations=YesNo(answer=True, explanation="Member of a journalists' union, 2014-2025."),
        organizations_continuing=NO,
        fear_of_torture=NO,
    )


def additional() -> AdditionalInformation:
    return AdditionalInformation(
        prior_applications=NO,
        travel_through_other_countries=False,
        status_in_other_countries=False,
        caused_harm=NO,
        returned=NO,
        filing_after_one_year=NO,
        crimes=NO,
    )


def signature() -> Signature:
    return Signature(
        native_alphabet_name="Rosa Inés Fictiva Ramos",
        family_assisted=False,
        prepared_by_other=False,
        received_counsel_list=True,
    )


def spouse_in_us(**overrides: Any) -> Spouse:
    fields: dict[str, Any] = {
        "a_number": "none",
        "passport_number": "X0000002",
        "ssn": "none",
        "last_name": "Ejemplo",
        "first_name": "Mateo",
        "middle_name": "none",
        "other_names": "none",
        "date_of_birth": dt.date(1988, 11, 2),
        "date_of_marriage": dt.date(2016, 5, 21),
        "place_of_marriage": "Cuenca, Ecuador",
        "city_and_country_of_birth": "Azogues, Ecuador",
        "nationality": "Ecuadorian",
        "race_ethnic_or_tribal_group": "Mestizo",
        "sex": "male",
        "in_us": True,
        "place_of_last_entry": "Miami, FL",
        "date_of_last_entry": dt.date(2025, 1, 15),
        "i94_number": "12345678B01",
        "status_when_last_admitted": "B-2",
        "current_status": "B-2",
        "authorized_stay_expires": dt.date(2025, 7, 14),
        "in_immigration_court": False,
        "previous_arrival_date": dt.date(2019, 8, 2),
        "include_in_application": True,
    }
    return Spouse(**(fields | overrides))


def child(**overrides: Any) -> Child:
    """A 6-year-old in the US, included in the application."""
    fields: dict[str, Any] = {
        "a_number": "none",
        "passport_number": "X0000003",
        "marital_status": "single",
        "ssn": "none",
        "last_name": "Ejemplo Fictiva",
        "first_name": "Lucía",
        "middle_name": "none",
        "date_of_birth": dt.date(2019, 2, 10),
        "city_and_country_of_birth": "Cuenca, Ecuador",
        "nationality": "Ecuadorian",
        "race_ethnic_or_tribal_group": "Mestiza",
        "sex": "female",
        "in_us": True,
        "place_of_last_entry": "Miami, FL",
        "date_of_last_entry": dt.date(2025, 1, 15),
        "i94_number": "12345678C01",
        "status_when_last_admitted": "B-2",
        "current_status": "B-2",
        "authorized_stay_expires": dt.date(2025, 7, 14),
        "in_immigration_court": False,
        "include_in_application": True,
    }
    return Child(**(fields | overrides))


def valid_application(*, married: bool = False) -> Application:
    """A complete application with no findings on TODAY: single, or married with the spouse
    in the US and included."""
    app = Application(
        applicant=applicant(),
        background=background(),
        claim=claim(),
        additional=additional(),
        signature=signature(),
    )
    if married:
        app.applicant.marital_status = "married"
        app.spouse = spouse_in_us()
    return app
